using Actorpool.Actors.Messaging;
using Actorpool.Reliability.Tests.Scheduling;
using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Messaging;

/// <summary>
/// Systematic interleavings of the bounded up-queue: workers sending up (a free slot, or parked behind a full queue
/// with their reusable waiter, as <c>SendUpAsync</c> does), a manager taking bursts cut off by a timestamp
/// (<c>RecvBurst</c>) and a stop draining until every worker ended (<c>StopAndJoinAsync</c>). No message is lost or
/// duplicated, each worker's messages arrive in its order, a burst returns nothing stamped after its cutoff, and a
/// parked sender is always released (a sender left parked is a Coyote deadlock).
/// </summary>
public sealed class UpQueueCoyoteTests
{
    private const int Workers = 2;
    private const int MessagesEach = 3;

    // In a Debug build the invariant checked at every lock entry catches the planted bug before the stuck sender deadlocks.
#if DEBUG
    private const string StuckSenderFound = "senders wait only while the ring is full";
#else
    private const string StuckSenderFound = "Deadlock detected";
#endif

    [Fact(Timeout = 60_000)]
    public Task SendersParkingWhileTheManagerTakesBursts_LoseNothing_KeepEachWorkersOrder_AndRespectTheCutoff() =>
        Coyote.AssertNoBugAsync(() => SendersAndManager(bursts: int.MaxValue), 1_000);

    [Fact(Timeout = 60_000)]
    public Task StopWhileSendersAreParked_ReleasesThemAndReturnsEveryMessage() =>
        Coyote.AssertNoBugAsync(() => SendersAndManager(bursts: 1), 1_000);

    [Fact(Timeout = 60_000)]
    public Task SendersParkingWhileTheManagerTakesOneByOne_LoseNothingAndKeepEachWorkersOrder() =>
        Coyote.AssertNoBugAsync(() => SendersAndManager(bursts: int.MaxValue, oneByOne: true), 1_000);

    [Fact(Timeout = 60_000)]
    public Task PlantedBug_BurstDoesNotReleaseParkedSenders_IsFoundByCoyote() =>
        Coyote.AssertFindsPlantedBugAsync(
            on => UpQueue<int, MonitorGate>.PlantedBugSkipRefill = on, () => SendersAndManager(bursts: int.MaxValue), 1_000, StuckSenderFound);

    /// <summary>
    /// Capacity 1, two workers with three messages each, stamped by a shared clock when the send is called; worker 0
    /// awaits each send, worker 1 sends all three before it awaits them. The manager takes up to <paramref name="bursts"/>
    /// bursts (waiting for the queue to be readable between them), or with <paramref name="oneByOne"/> that many single
    /// messages as <c>RecvAsync</c> does, then stops.
    /// </summary>
    private static async Task SendersAndManager(int bursts, bool oneByOne = false)
    {
        var queue = new UpQueue<int, MonitorGate>(1);
        long clock = 0;
        var received = new List<UpMessage<int>>();
        for (var w = 0; w < Workers; w++)
        {
            queue.WorkerStarted();
        }

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var waiter = new UpSendWaiter<int>(); // each worker reuses one, as WorkerContext does
            var sends = new List<ValueTask>();
            for (var i = 0; i < MessagesEach; i++)
            {
                var send = queue.EnqueueAsync(new UpMessage<int>(i, w, Interlocked.Increment(ref clock)), waiter);
                if (w == 0)
                {
                    await send;
                }
                else
                {
                    sends.Add(send); // worker 1 awaits later: while its waiter is parked, its next sends park with fresh ones
                }
            }

            foreach (var send in sends)
            {
                await send;
            }

            queue.WorkerEnded();
        })).ToList();

        for (var b = 0; b < bursts && received.Count < Workers * MessagesEach; b++)
        {
            await queue.WhenReadable();
            if (oneByOne)
            {
                if (queue.TryTake(out var message)) // readable also means a worker ended: there may be nothing
                {
                    received.Add(message);
                }

                continue;
            }

            var cutoff = Volatile.Read(ref clock);
            var from = received.Count;
            queue.Take(cutoff, int.MaxValue, received);
            for (var i = from; i < received.Count; i++)
            {
                Specification.Assert(received[i].Timestamp <= cutoff, $"A burst cut off at {cutoff} returned a message stamped {received[i].Timestamp}.");
            }
        }

        // The stop's loop, as StopAndJoinAsync runs it.
        while (!queue.DrainStep(received, out var wait))
        {
            if (wait is not null)
            {
                await wait;
            }
        }

        foreach (var worker in workers)
        {
            await worker;
        }

        Specification.Assert(queue.Peak <= queue.Capacity, $"{queue.Peak} messages queued at once, capacity {queue.Capacity}.");
        for (var w = 0; w < Workers; w++)
        {
            var mine = received.Where(m => m.Worker == w).Select(m => m.Value).ToList();
            Specification.Assert(mine.SequenceEqual(Enumerable.Range(0, MessagesEach)), $"Worker {w}'s messages arrived as [{string.Join(", ", mine)}].");
        }
    }
}
