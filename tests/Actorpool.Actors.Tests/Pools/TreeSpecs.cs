using System.Diagnostics.Metrics;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Workers;

namespace Actorpool.Actors.Tests.Pools;

[Collection(ProcessWideListeners.Name)]
public sealed class TreeSpecs : PoolSpec
{
    private readonly Journal _log = new();

    [Fact(Timeout = 30_000)]
    public async Task Pools_NestInsidePools_AndStopWithTheirWorker()
    {
        PoolRef<int>? inner = null;
        var outer = Sys.SpawnPool(new PoolOptions<PoolRef<int>>
        {
            Name = "outer",
            Workers = 1,
            Init = i => inner = WorkerContext.Current!.SpawnPool(new PoolOptions<int> { Name = $"inner-{i}", Workers = 2, Init = j => j }),
        });

        var sum = await outer.RunAsync(p => p.RunAsync(j => j + 10)).WaitAsync(Watchdog);
        var path = inner!.Ref.Path.ToString();

        Assert.InRange(sum, 10, 11);
        Assert.EndsWith("/user/outer/worker-0/inner-0", path, StringComparison.Ordinal);
        await outer.DrainAsync().WaitAsync(Watchdog);
        await inner.Completion.WaitAsync(Watchdog);
        await AssertBalancedAsync(outer);
        await AssertBalancedAsync(inner);
    }

    [Fact(Timeout = 30_000)]
    public async Task WorkerContext_NamesTheRunningWorker_AndIsNullOutsideOne()
    {
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "context", Workers = 2, Init = i => i });

        var seen = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pool.RunAsync(state => (state, WorkerContext.Index)))).WaitAsync(Watchdog);

        Assert.All(seen, s => Assert.Equal(s.state, s.Index)); // the index of the worker whose state the job ran on
        Assert.Null(WorkerContext.Index);
        Assert.Null(WorkerContext.Current);
        Assert.Null(new WorkerInitException("no index").Index);
        await pool.StopAsync().WaitAsync(Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task Broadcast_ReachesEveryWorkerOnce()
    {
        var pool = Sys.SpawnPool(new PoolOptions<int>
        {
            Name = "broadcast",
            Workers = 3,
            Init = i => i,
            Handle = (i, m) =>
            {
                _log.Enqueue($"{m} {i}");
                return null;
            },
        });

        pool.Ref.Tell(new PoolBroadcast("hello"), TestActor);

        await _log.WaitForAsync("hello 0");
        await _log.WaitForAsync("hello 1");
        await _log.WaitForAsync("hello 2");
        await pool.DrainAsync().WaitAsync(Watchdog);
        Assert.Equal(3, _log.Count());
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task Metrics_CountJobsAndObserveGaugesPerPool()
    {
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PoolMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "metered", Workers = 2, Init = i => i });

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => pool.RunAsync(_ => i))).WaitAsync(Watchdog);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(int (_) => throw new InvalidOperationException("x"))).WaitAsync(Watchdog);
        await pool.GetStatsAsync().WaitAsync(Watchdog);
        listener.RecordObservableInstruments();

        Assert.Equal(6, counted["actorpool.jobs.submitted"]);
        Assert.Equal(5, counted["actorpool.jobs.completed"]);
        Assert.Equal(1, counted["actorpool.jobs.failed"]);
        Assert.Equal(2, counted["actorpool.pool.workers"]);
        await AssertBalancedAsync(pool);

        void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "pool", Value: "metered" })
                {
                    counted.AddOrUpdate(instrument.Name, value, (_, v) => instrument is ObservableGauge<int> ? value : v + value);
                }
            }
        }
    }
}
