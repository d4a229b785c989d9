using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Actorpool.Reliability.Tests.Scheduling;
using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Dispatch;

/// <summary>
/// Systematic interleavings of the supervisor mailbox's intake handshake: submitters put jobs into the intake on their
/// own threads and queue a <see cref="JobsArrived"/> marker only when none covers the intake (the dispatcher's path,
/// <c>IntakeDispatcher</c>); the supervisor, on a marker, clears the flag, takes up to its budget and asks for another
/// marker when it stopped with jobs left (<c>PoolSupervisor.TakeIntake</c>). Every job is taken exactly once, in its
/// sender's order, at most one marker is queued at a time, and no job is left in the intake without a marker; when the
/// supervisor terminates meanwhile, every job is taken or settled, once.
/// </summary>
public sealed class PoolMessageQueueCoyoteTests
{
    private const int Senders = 2;
    private const int JobsEach = 2;

    [Fact(Timeout = 60_000)]
    public Task SubmittersRacingTheSupervisorsDrain_EveryJobIsTakenExactlyOnceAndNoneIsStranded() =>
        Coyote.AssertNoBugAsync(() => SubmittersAndSupervisor(budget: 8), 1_000);

    [Fact(Timeout = 60_000)]
    public Task DrainStoppedByItsBudget_AsksForAnotherMarker_AndStrandsNoJob() =>
        Coyote.AssertNoBugAsync(() => SubmittersAndSupervisor(budget: 1), 1_000);

    [Fact(Timeout = 60_000)]
    public Task SubmittersRacingTheSupervisorsTermination_SettleEveryJobExactlyOnce() =>
        Coyote.AssertNoBugAsync(SubmittersAndTermination, 1_000);

    [Fact(Timeout = 60_000)]
    public Task PlantedBug_SenderChecksTheMarkerBeforeItsJobIsInTheIntake_IsFoundByCoyote() =>
        Coyote.AssertFindsPlantedBugAsync(
            on => PoolMessageQueue.PlantedBugSignalBeforeEnqueue = on, () => SubmittersAndSupervisor(budget: 8), 1_000, "left in the intake");

    /// <summary>Two submitters with two jobs each; the supervisor's mailbox runs whenever a sender schedules it.</summary>
    private static async Task SubmittersAndSupervisor(int budget)
    {
        var queue = new PoolMessageQueue();
        queue.Attach(new PoolCounters("coyote-intake"));
        var owner = ActorRefs.Nobody;
        var scheduled = new SemaphoreSlim(0); // the mailbox scheduled for a run (Akka's RegisterForExecution)
        var taken = new List<long>();
        var done = 0;

        var supervisor = Task.Run(async () =>
        {
            while (true)
            {
                await scheduled.WaitAsync();
                var last = Volatile.Read(ref done) == 1; // read before the run: what senders queued before it is seen
                while (queue.TryDequeue(out var envelope))
                {
                    Specification.Assert(envelope.Message is JobsArrived, $"Unexpected message {envelope.Message}.");
                    Specification.Assert(queue.Count == 0, "A second JobsArrived was queued while one was pending.");
                    TakeIntake(queue, budget, owner, taken);
                }

                if (last)
                {
                    return;
                }
            }
        });

        await Send(queue, owner, scheduled, jobs: null);

        Volatile.Write(ref done, 1);
        scheduled.Release();
        await supervisor;

        Specification.Assert(queue.IntakeCount == 0, $"{queue.IntakeCount} job(s) left in the intake with no JobsArrived to take them.");
        for (var s = 0; s < Senders; s++)
        {
            var mine = taken.Where(id => id / JobsEach == s).ToList();
            Specification.Assert(
                mine.SequenceEqual(Enumerable.Range(s * JobsEach, JobsEach).Select(i => (long)i)),
                $"Sender {s}'s jobs were taken as [{string.Join(", ", mine)}].");
        }
    }

    /// <summary>
    /// The supervisor handles one mailbox run, then terminates (Akka's <c>CleanUp</c> of its mailbox) while the
    /// submitters go on: every job is either taken by the supervisor or rejected and counted on a sender's or the
    /// closing thread, never both, never neither; nothing goes to dead letters (every Submit was accepted).
    /// </summary>
    private static async Task SubmittersAndTermination()
    {
        var counters = new PoolCounters("coyote-intake-closing");
        var queue = new PoolMessageQueue();
        queue.Attach(counters);
        var owner = ActorRefs.Nobody;
        var deadLetters = new UnboundedMessageQueue();
        var scheduled = new SemaphoreSlim(0);
        var taken = new List<long>();
        var supervisor = Task.Run(async () =>
        {
            await scheduled.WaitAsync();
            while (queue.TryDequeue(out _))
            {
                TakeIntake(queue, budget: 8, owner, taken);
            }

            queue.CleanUp(owner, deadLetters);
        });

        var jobs = new Submit[Senders * JobsEach];
        await Send(queue, owner, scheduled, jobs);
        await supervisor;

        for (var id = 0; id < jobs.Length; id++)
        {
            var wasTaken = taken.Contains(id);
            Specification.Assert(wasTaken != jobs[id].IsFinished, $"Job {id}: taken {wasTaken}, settled at termination {jobs[id].IsFinished}.");
        }

        var rejected = counters.Rejected;
        Specification.Assert(taken.Count + rejected == jobs.Length, $"{taken.Count} taken + {rejected} rejected of {jobs.Length} jobs.");
        Specification.Assert(deadLetters.Count == 0 && queue.IntakeCount == 0, $"{deadLetters.Count} dead letters, {queue.IntakeCount} left in the intake.");
    }

    /// <summary>
    /// Runs the submitters (job ids sender × JobsEach + i, each sender's in order) until all sent, as
    /// IntakeDispatcher.Dispatch does it: only the sender that must queue the marker schedules the mailbox.
    /// </summary>
    private static async Task Send(PoolMessageQueue queue, IActorRef owner, SemaphoreSlim scheduled, Submit[]? jobs)
    {
        var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < JobsEach; i++)
            {
                var id = (s * JobsEach) + i;
                var job = Submit.Message(id, "job");
                if (jobs is not null)
                {
                    jobs[id] = job;
                }

                if (queue.AddJob(owner, new Envelope(job, ActorRefs.NoSender)))
                {
                    queue.Enqueue(owner, new Envelope(JobsArrived.Instance, ActorRefs.NoSender));
                    scheduled.Release();
                }
            }
        })).ToList();
        foreach (var sender in senders)
        {
            await sender;
        }
    }

    /// <summary>The supervisor's handling of a marker, as <c>PoolSupervisor.TakeIntake</c> does it (jobs recorded, not run).</summary>
    private static void TakeIntake(PoolMessageQueue queue, int budget, IActorRef owner, List<long> taken)
    {
        queue.BeginDrain();
        for (var n = 0; n < budget && queue.TryTake(out var job); n++)
        {
            taken.Add(((Submit)job).JobId);
        }

        if (queue.NeedsMarker())
        {
            queue.Enqueue(owner, new Envelope(JobsArrived.Instance, owner)); // Self.Tell: the mailbox is running, it sees it
        }
    }
}
