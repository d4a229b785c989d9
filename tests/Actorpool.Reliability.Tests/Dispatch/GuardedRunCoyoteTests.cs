using Actorpool.Actors.Dispatch;
using Actorpool.Reliability.Tests.Scheduling;
using Akka.Dispatch;
using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Dispatch;

/// <summary>
/// Systematic interleavings of the starvation guard's claim on a supervisor's mailbox run: every arming queues a copy
/// on the pool and is watched by the guard; a pool thread (<c>GuardedRun.Run</c>) and the guard's tick both try to
/// claim it, and copies left from earlier armings may still be queued. Each arming is run exactly once: never twice,
/// never by two threads at once, never zero times.
/// </summary>
/// <remarks>
/// The claim (<see cref="ClaimableRun.TryClaim"/>) is what is tested: the mailbox run it guards is Akka's
/// <see cref="Mailbox.Run"/>, which needs an actor cell and a dispatcher, so the winner records the run instead, and
/// the guard's timer and ThreadPool hand-off are left out (a tick past its patience is a claim attempt).
/// </remarks>
public sealed class GuardedRunCoyoteTests
{
    private const int Armings = 3;

    [Fact(Timeout = 60_000)]
    public Task PoolThreadsAndTheGuardClaimingAcrossArmings_RunEachArmingExactlyOnce() =>
        Coyote.AssertNoBugAsync(ClaimsAcrossArmings, 1_000);

    [Fact(Timeout = 60_000)]
    public Task PlantedBug_ClaimWithoutExchange_IsFoundByCoyote() =>
        Coyote.AssertFindsPlantedBugAsync(on => GuardedRun.PlantedBugClaimWithoutExchange = on, ClaimsAcrossArmings, 1_000, "ran 2 times");

    private static async Task ClaimsAcrossArmings()
    {
        var run = new GuardedRun(new Mailbox(new PoolMessageQueue()));
        var runs = new int[Armings];
        var arming = 0;
        var running = 0;
        var claimants = new List<Task>();

        // As WorkStealingExecutor.Execute: arm, queue a copy on the pool, let the guard watch it.
        void Schedule()
        {
            run.Arm();
            lock (claimants)
            {
                claimants.Add(Task.Run(Claim)); // the pool thread's copy
                claimants.Add(Task.Run(Claim)); // the guard's tick
            }
        }

        void Claim()
        {
            if (!run.TryClaim())
            {
                return;
            }

            Specification.Assert(Interlocked.Exchange(ref running, 1) == 0, "Two threads ran the mailbox at once.");
            var current = Volatile.Read(ref arming);
            var times = Interlocked.Increment(ref runs[current]);
            Specification.Assert(times == 1, $"Arming {current} ran {times} times.");
            Volatile.Write(ref running, 0); // the mailbox goes idle ...
            if (current + 1 < Armings)
            {
                Volatile.Write(ref arming, current + 1);
                Schedule(); // ... and a message that arrived meanwhile schedules it again
            }
        }

        Schedule();
        for (var i = 0; ; i++)
        {
            Task next;
            lock (claimants)
            {
                if (i == claimants.Count)
                {
                    break;
                }

                next = claimants[i];
            }

            await next;
        }

        for (var a = 0; a < Armings; a++)
        {
            Specification.Assert(runs[a] == 1, $"Arming {a} ran {runs[a]} times.");
        }
    }
}
