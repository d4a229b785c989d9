using Actorpool.Actors.Pools;
using Actorpool.Dynamic;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Pools;

public sealed class ScalingSpecs : PoolSpec
{
    private readonly Journal _log = new();
    private readonly FakeTimeProvider _time = new();

    private PoolOptions<Connection> Options(string name, Func<PoolLoad, Scale> scale) => new()
    {
        Name = name,
        Scale = scale,
        TimeProvider = _time,
        ScaleInterval = TimeSpan.FromSeconds(1),
        ScaleCachePeriod = TimeSpan.Zero,
        Init = i =>
        {
            _log.Enqueue($"init {i}");
            return new Connection(i, _log);
        },
    };

    [Fact(Timeout = 30_000)]
    public async Task Scale_OnTheTimer_ShrinksAnIdlePoolHighestIndexFirstAndClosesTheirState()
    {
        var target = 3;
        var pool = Sys.SpawnPool(Options("shrink", _ => Scale.Active(Volatile.Read(ref target))));
        await _log.WaitForAsync("init 2");

        Volatile.Write(ref target, 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _log.WaitForAsync("close 2");
        await _log.WaitForAsync("close 1");

        var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);
        Assert.Equal(1, stats.Workers);
        Assert.DoesNotContain("close 0", _log);
        Assert.Equal(0, await pool.RunAsync(c => c.Index).WaitAsync(Watchdog));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task Scale_OnDispatch_GrowsWithTheBacklogAndShrinksToZeroWhenIdle()
    {
        var loads = new System.Collections.Concurrent.ConcurrentQueue<PoolLoad>();
        var pool = Sys.SpawnPool(Options("elastic", load =>
        {
            loads.Enqueue(load);
            return Scale.Active(load.Backlog > 0 ? 2 : 0);
        }));
        var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);
        Assert.Equal(0, stats.Workers);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => pool.RunAsync(_ => i))).WaitAsync(Watchdog);

        Assert.Equal(Enumerable.Range(0, 20), results);
        Assert.Contains(loads, l => l.Backlog > 0);
        Assert.DoesNotContain(_log, l => l.StartsWith("init 2", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(1));
        await _log.WaitForAsync("close 0");
        await _log.WaitForAsync("close 1");
        stats = await AssertBalancedAsync(pool);
        Assert.Equal((20, 20, 0), (stats.Submitted, stats.Completed, stats.Workers));
    }

    [Fact(Timeout = 30_000)]
    public async Task Scale_MixedAndNoTerm_KeepWarmWorkersAliveWithoutJobs_AndActiveRetiresThem()
    {
        var answer = Scale.Active(3);
        var pool = Sys.SpawnPool(Options("warm", _ => answer));
        await _log.WaitForAsync("init 2");

        // Mixed(1, 1): worker 0 takes the jobs, worker 1 stays warm (state kept, no job), worker 2 retires.
        answer = Scale.Mixed(1, 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _log.WaitForAsync("close 2");
        var ran = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pool.RunAsync(c => c.Index))).WaitAsync(Watchdog);
        Assert.All(ran, index => Assert.Equal(0, index));
        Assert.Equal(2, (await pool.GetStatsAsync().WaitAsync(Watchdog)).Workers);

        // NoTerm(1): nobody retires; Active(1): the warm worker does.
        answer = Scale.NoTerm(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await pool.GetStatsAsync().WaitAsync(Watchdog)).Workers);
        Assert.DoesNotContain("close 1", _log);
        answer = Scale.Active(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _log.WaitForAsync("close 1");
        Assert.Equal(1, (await pool.GetStatsAsync().WaitAsync(Watchdog)).Workers);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task Scale_AnsweringAHugeCount_IsClampedToMaxWorkers()
    {
        var pool = Sys.SpawnPool(Options("huge", _ => Scale.Active(1_000_000)) with { MaxWorkers = 3 });

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => pool.RunAsync(_ => i))).WaitAsync(Watchdog);

        Assert.Equal(Enumerable.Range(0, 30), results);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal(3, stats.Workers);
        Assert.DoesNotContain(_log, l => l.StartsWith("init 3", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Scale_Shutdown_DrainsThePool()
    {
        var shutdown = false;
        var pool = Sys.SpawnPool(Options("shutdown", _ => Volatile.Read(ref shutdown) ? Scale.Shutdown : Scale.Active(1)));
        Assert.Equal(7, await pool.RunAsync(_ => 7).WaitAsync(Watchdog));

        Volatile.Write(ref shutdown, true);
        _time.Advance(TimeSpan.FromSeconds(1));

        await pool.Completion.WaitAsync(Watchdog);
        await AssertBalancedAsync(pool);
    }
}
