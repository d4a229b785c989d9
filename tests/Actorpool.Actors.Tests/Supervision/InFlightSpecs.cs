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
}
