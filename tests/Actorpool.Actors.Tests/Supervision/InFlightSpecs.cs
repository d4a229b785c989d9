using System.Collections.Concurrent;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Supervision;

/// <summary>Batches are reused once reported; failures cut batches short, retries and restarts hand jobs back, and every job still gets one outcome.</summary>
public sealed class InFlightSpecs : PoolSpec
{
    [Theory(Timeout = 60_000)]
    [InlineData(PanicKind.Resume)]
    [InlineData(PanicKind.Respawn)]
    public async Task ReusedBatches_WithFailuresAndRetriesBetweenThem_GiveEveryJobExactlyOneOutcome(PanicKind kind)
    {
        const int Jobs = 3000;
        var pool = Sys.SpawnPool(new PoolOptions<int>
        {
            Name = $"inflight-{kind}",
            Workers = 2,
            Prefetch = 8,
            Backlog = Jobs,
            Init = i => i,
            Panic = new PanicPolicy { Kind = kind, Budget = null }.WithJobRetries(1),
        });
        var runs = new ConcurrentDictionary<long, int>();

        for (var i = 0; i < Jobs; i++)
        {
            var id = i;
            pool.Ref.Tell(Submit.Run<int>(id, _ =>
            {
                var run = runs.AddOrUpdate(id, 1, (_, n) => n + 1);
                if (id % 101 == 0 || (id % 37 == 0 && run == 1))
                {
                    throw new InvalidOperationException($"job {id} run {run}"); // 101: always; 37: the first run only
                }

                return id;
            }), TestActor);
        }

        var outcomes = ReceiveN(Jobs, Watchdog).Cast<JobOutcome>().ToList();

        Assert.Equal(Jobs, outcomes.Select(o => o.JobId).Distinct().Count());
        var failed = outcomes.OfType<JobFailed>().Select(o => o.JobId).Order().ToList();
        Assert.Equal(Enumerable.Range(0, Jobs).Where(i => i % 101 == 0).Select(i => (long)i), failed);
        Assert.All(outcomes.OfType<JobCompleted>(), o => Assert.Equal((int)o.JobId, o.Result));
        Assert.All(runs, r => Assert.Equal(r.Key % 101 == 0 || r.Key % 37 == 0 ? 2 : 1, r.Value));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((Jobs, Jobs - failed.Count, failed.Count), (stats.Submitted, stats.Completed, stats.Failed));
    }

    [Fact(Timeout = 30_000)]
    public async Task AWorkerStoppedFromOutside_WithABatchUnread_HasThatBatchRunByItsSuccessor()
    {
        // Prefetch 4 hands the one worker two batches of two; the first holds the worker on a gate, so the second
        // is still in its mailbox when the worker is stopped from outside. Only the supervisor's requeue on
        // Terminated (OnWorkerTerminated) can give those two jobs an outcome: they must run on the new worker.
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "stopped-outside", Workers = 1, Prefetch = 4, Init = i => i });
        await WarmUpAsync(pool); // tiny jobs measured: the full prefetch of 4, in batches of two
        var worker = await Sys.ActorSelection(pool.Ref.Path / "worker-0").ResolveOne(Watchdog); // while it can answer
        using var gate = new ManualResetEventSlim();
        using var holding = new ManualResetEventSlim();
        var first = pool.RunAsync(_ =>
        {
            holding.Set();
            return gate.Wait(Watchdog) ? 1 : -1;
        });
        var rest = Enumerable.Range(2, 3).Select(i => pool.RunAsync(_ => i)).ToArray();
        Assert.True(holding.Wait(Watchdog));
        await AwaitAssertAsync(
            async () =>
            {
                var stats = await pool.GetStatsAsync();
                Assert.Equal((4 + WarmUpJobs, 0), (stats.Submitted, stats.Backlog)); // all four handed to the worker
            },
            Watchdog);

        Watch(worker);
        Sys.Stop(worker); // handled after the running batch: the second batch is dead-lettered with the mailbox
        gate.Set();
        ExpectTerminated(worker);

        var results = await Task.WhenAll(rest.Prepend(first)).WaitAsync(Watchdog);
        Assert.Equal(new[] { 1, 2, 3, 4 }, results);
        var stats = await pool.GetStatsAsync().WaitAsync(Watchdog); // the unread batch itself was dead-lettered, by design
        Assert.Equal((4 + WarmUpJobs, 4 + WarmUpJobs, 0, 0, 0), (stats.Submitted, stats.Completed, stats.Failed, stats.Rejected, stats.Cancelled));
    }
}
