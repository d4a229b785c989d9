using System.Collections.Concurrent;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Pools;

public sealed class BasicPathSpecs : PoolSpec
{
    private readonly Journal _log = new();

    private PoolOptions<Connection> Options(string name, int workers = 2) => new()
    {
        Name = name,
        Workers = workers,
        Init = i =>
        {
            _log.Enqueue($"init {i}");
            return new Connection(i, _log);
        },
        Handle = (c, m) => m is string s ? $"{s}@{c.Index}" : throw new ArgumentException($"unknown {m}"),
    };

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_RunsEveryJobOnAWorkersStateExactlyOnce()
    {
        var pool = Sys.SpawnPool(Options("basic", workers: 3));
        var ran = new ConcurrentDictionary<int, int>();
        var tasks = Enumerable.Range(0, 500).Select(i => pool.RunAsync(c =>
        {
            ran.AddOrUpdate(i, 1, (_, n) => n + 1);
            c.Uses++;
            return i * 2;
        })).ToArray();

        var results = await Task.WhenAll(tasks).WaitAsync(Watchdog);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * 2), results);
        Assert.Equal(500, ran.Count);
        Assert.All(ran.Values, n => Assert.Equal(1, n));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal(500, stats.Submitted);
        Assert.Equal(500, stats.Completed);
        Assert.Equal(3, stats.Workers);
        Assert.Equal(3, _log.Count(l => l.StartsWith("init", StringComparison.Ordinal)));
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_ActionOverload_CompletesAfterTheJobRan()
    {
        var pool = Sys.SpawnPool(Options("action"));
        var touched = 0;

        await pool.RunAsync(_ => Interlocked.Increment(ref touched)).WaitAsync(Watchdog);

        Assert.Equal(1, touched);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task Submit_ByMessage_RepliesWithExactlyOneOutcomePerJob()
    {
        var pool = Sys.SpawnPool(Options("messages"));

        pool.Ref.Tell(Submit.Run<Connection>(1, c => c.Index >= 0 ? "closure" : null), TestActor);
        pool.Ref.Tell(Submit.Message(2, "hello"), TestActor);
        pool.Ref.Tell(Submit.Message(3, 42), TestActor);

        var outcomes = new[] { ExpectMsg<JobOutcome>(), ExpectMsg<JobOutcome>(), ExpectMsg<JobOutcome>() }.OrderBy(o => o.JobId).ToArray();
        Assert.Equal("closure", Assert.IsType<JobCompleted>(outcomes[0]).Result);
        Assert.StartsWith("hello@", (string)Assert.IsType<JobCompleted>(outcomes[1]).Result!, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(Assert.IsType<JobFailed>(outcomes[2]).Cause);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((3, 2, 1), (stats.Submitted, stats.Completed, stats.Failed));
    }

    [Fact(Timeout = 30_000)]
    public async Task Submit_WhenTheBacklogIsFull_IsRejectedWithTheBacklogInTheReason()
    {
        // A scale of zero workers keeps every job waiting in the backlog, so it fills without a blocked thread.
        var pool = Sys.SpawnPool(Options("full") with { Scale = _ => Dynamic.Scale.Active(0), Backlog = 2 });

        for (var id = 1; id <= 3; id++)
        {
            pool.Ref.Tell(Submit.Message(id, "x"), TestActor);
        }

        var rejected = ExpectMsg<JobRejected>();
        Assert.Equal(3, rejected.JobId);
        Assert.Contains("backlog is full (2 jobs waiting)", rejected.Reason, StringComparison.Ordinal);
        Assert.False(pool.TryRun(_ => 1, out var refused));
        await Assert.ThrowsAsync<JobRejectedException>(() => refused).WaitAsync(Watchdog);

        var report = await pool.StopAsync().WaitAsync(Watchdog);

        Assert.Equal(2, report.Cancelled);
        Assert.Equal([1L, 2L], new[] { ExpectMsg<JobCancelled>().JobId, ExpectMsg<JobCancelled>().JobId }.Order());
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((4, 2, 2), (stats.Submitted, stats.Rejected, stats.Cancelled));
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_WhenTheBacklogIsFull_WaitsForSpaceWithoutBlocking()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var workers = 0;
        var pool = Sys.SpawnPool(Options("waits") with
        {
            Backlog = 1,
            Scale = _ => Dynamic.Scale.Active(Volatile.Read(ref workers)),
            ScaleInterval = TimeSpan.FromSeconds(1),
            TimeProvider = time,
        });

        var first = pool.RunAsync(_ => 1);
        var second = pool.RunAsync(_ => 2);
        await pool.GetStatsAsync().WaitAsync(Watchdog);
        Assert.False(second.IsCompleted);
        Assert.True(pool.TryRun(_ => 3, out _) is false);

        Volatile.Write(ref workers, 1);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(first, second).WaitAsync(Watchdog));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task DrainAsync_FinishesEverythingQueuedThenTerminatesThePool()
    {
        var pool = Sys.SpawnPool(Options("drain"));
        Watch(pool.Ref);
        var jobs = Enumerable.Range(0, 100).Select(i => pool.RunAsync(_ => i)).ToArray();

        var report = await pool.DrainAsync().WaitAsync(Watchdog);

        Assert.Equal(100, report.Completed);
        Assert.Equal(0, report.Cancelled);
        Assert.False(report.DeadlineReached);
        Assert.All(jobs, j => Assert.True(j.IsCompletedSuccessfully));
        ExpectTerminated(pool.Ref);
        await pool.Completion.WaitAsync(Watchdog);
        await Assert.ThrowsAsync<JobRejectedException>(() => pool.RunAsync(_ => 0)).WaitAsync(Watchdog);

        // Every state opened is closed once. A worker still starting when the drain finished retires without opening
        // one (it is not waited for), so there are one or two.
        var opened = _log.Count(l => l.StartsWith("init", StringComparison.Ordinal));
        Assert.InRange(opened, 1, 2);
        Assert.Equal(opened, _log.Count(l => l.StartsWith("close", StringComparison.Ordinal)));
        Assert.DoesNotContain(_log, l => l.Contains("AGAIN", StringComparison.Ordinal));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task StopAsync_CancelsQueuedJobsAndKeepsTheIdentity()
    {
        var pool = Sys.SpawnPool(Options("stop") with { Scale = _ => Dynamic.Scale.Active(0) });
        var queued = Enumerable.Range(0, 10).Select(i => pool.RunAsync(_ => i)).ToArray();

        var report = await pool.StopAsync().WaitAsync(Watchdog);

        Assert.Equal(10, report.Cancelled);
        foreach (var job in queued)
        {
            await Assert.ThrowsAsync<JobCancelledException>(() => job).WaitAsync(Watchdog);
        }

        await pool.Completion.WaitAsync(Watchdog);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal(10, stats.Cancelled);
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_WhenTheCallerCancelsBeforeTheJobStarts_TheTaskIsCancelled()
    {
        var pool = Sys.SpawnPool(Options("caller-cancel") with { Scale = _ => Dynamic.Scale.Active(0) });
        using var cts = new CancellationTokenSource();
        var job = pool.RunAsync(_ => 1, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAsync<TaskCanceledException>(() => job).WaitAsync(Watchdog);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((1, 1), (stats.Submitted, stats.Cancelled));
    }

    [Fact(Timeout = 30_000)]
    public async Task Respawn_WhenAJobThrows_FailsThatJobRebuildsTheStateAndServesTheRest()
    {
        var pool = Sys.SpawnPool(Options("respawn", workers: 1) with { Panic = PanicPolicy.Respawn() });
        var before = await pool.RunAsync(c => c.Index).WaitAsync(Watchdog);

        Task<int> failing = null!;
        EventFilter.Warning(contains: "restarts worker-0 after InvalidOperationException: boom").ExpectOne(() =>
        {
            failing = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("boom"));
        });
        var after = await pool.RunAsync(c => c.Uses++).WaitAsync(Watchdog);

        Assert.Equal(0, before);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing).WaitAsync(Watchdog);
        Assert.Equal(0, after);
        Assert.Equal(["init 0", "close 0", "init 0"], _log);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((3, 2, 1, 1), (stats.Submitted, stats.Completed, stats.Failed, stats.Restarts));
    }

    [Fact(Timeout = 30_000)]
    public async Task Completion_WhenTheActorSystemStops_CancelsWhatIsLeft()
    {
        var pool = Sys.SpawnPool(Options("outside") with { Scale = _ => Dynamic.Scale.Active(0) });
        var job = pool.RunAsync(_ => 1);
        await pool.GetStatsAsync().WaitAsync(Watchdog);

        Sys.Stop(pool.Ref);

        await pool.Completion.WaitAsync(Watchdog);
        await Assert.ThrowsAsync<JobCancelledException>(() => job).WaitAsync(Watchdog);
        await AssertBalancedAsync(pool);
    }
}
