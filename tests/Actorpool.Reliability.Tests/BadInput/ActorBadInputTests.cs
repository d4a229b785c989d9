using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Akka.Actor;

namespace Actorpool.Reliability.Tests.BadInput;

/// <summary>
/// Every public entry point of the actor pools given bad input: options, null jobs, a stopped pool, stopping twice,
/// deadlines, scale functions that throw or answer nonsense. Each row gets a clear answer within a watchdog.
/// </summary>
public sealed class ActorBadInputTests : IAsyncLifetime
{
    private static int _nextPool;

    private static readonly Dictionary<string, Func<ActorSystem, Task>> Cases = new()
    {
        ["Name empty"] = sys => Expect.Throws<ArgumentException>(() => sys.SpawnPool(Options() with { Name = "" }), "Name"),
        ["Name with a slash"] = sys => Expect.Throws<ArgumentException>(() => sys.SpawnPool(Options() with { Name = "a/b" }), "Name", "a/b"),
        ["Init null"] = sys => Expect.Throws<ArgumentNullException>(() => sys.SpawnPool(Options() with { Init = null! }), "Init"),
        ["Workers 0"] = sys => Expect.Throws<ArgumentOutOfRangeException>(() => sys.SpawnPool(Options() with { Workers = 0 }), "Workers", "was 0"),
        ["Workers -1"] = sys => Expect.Throws<ArgumentOutOfRangeException>(() => sys.SpawnPool(Options() with { Workers = -1 }), "Workers", "was -1"),
        ["Backlog 0"] = sys => Expect.Throws<ArgumentOutOfRangeException>(() => sys.SpawnPool(Options() with { Backlog = 0 }), "Backlog", "was 0"),
        ["Prefetch -2"] = sys => Expect.Throws<ArgumentOutOfRangeException>(() => sys.SpawnPool(Options() with { Prefetch = -2 }), "Prefetch", "was -2"),
        ["ScaleInterval zero"] = sys => Expect.Throws<ArgumentOutOfRangeException>(() => sys.SpawnPool(Options() with { ScaleInterval = TimeSpan.Zero }), "ScaleInterval"),
        ["ScaleCachePeriod negative"] = sys => Expect.Throws<ArgumentOutOfRangeException>(
            () => sys.SpawnPool(Options() with { ScaleCachePeriod = TimeSpan.FromSeconds(-1) }), "ScaleCachePeriod"),
        ["Dispatcher empty"] = sys => Expect.Throws<ArgumentException>(() => sys.SpawnPool(Options() with { Dispatcher = "" }), "Dispatcher"),
        ["SupervisorDispatcher empty"] = sys => Expect.Throws<ArgumentException>(() => sys.SpawnPool(Options() with { SupervisorDispatcher = "" }), "SupervisorDispatcher"),
        ["TimeProvider null"] = sys => Expect.Throws<ArgumentNullException>(() => sys.SpawnPool(Options() with { TimeProvider = null! }), "TimeProvider"),
        ["Panic null"] = sys => Expect.Throws<ArgumentNullException>(() => sys.SpawnPool(Options() with { Panic = null! }), "Panic"),
        ["Options null"] = sys => Expect.Throws<ArgumentNullException>(() => sys.SpawnPool<int>(null!), "options"),
        ["RestartBudget -1"] = _ => Expect.Throws<ArgumentOutOfRangeException>(() => new RestartBudget(-1, TimeSpan.FromSeconds(1)), "maxRestarts"),
        ["RestartBudget window zero"] = _ => Expect.Throws<ArgumentOutOfRangeException>(() => new RestartBudget(1, TimeSpan.Zero), "window"),
        ["JobRetries -1"] = _ => Expect.Throws<ArgumentOutOfRangeException>(() => new PanicPolicy { JobRetries = -1 }, "JobRetries"),
        ["RunAsync null job"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentNullException>(() => pool.RunAsync((Func<int, int>)null!), "job")),
        ["RunAsync null async job"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentNullException>(
            () => pool.RunAsync((Func<int, CancellationToken, ValueTask<int>>)null!), "job")),
        ["RunAsync null async job without token"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentNullException>(() => pool.RunAsync((Func<int, Task>)null!), "job")),
        ["RunAsync zero timeout"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentOutOfRangeException>(() => pool.RunAsync(s => s, timeout: TimeSpan.Zero), "timeout")),
        ["RunAsync infinite timeout"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentOutOfRangeException>(
            () => pool.RunAsync(async (s, _) => await Task.FromResult(s), timeout: Timeout.InfiniteTimeSpan), "timeout")),
        ["RunAsync sync job returning a task"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentException>(() => pool.RunAsync<Task<int>>(s => Task.FromResult(s)), "job")),
        ["JobTimeout negative"] = sys => Expect.Throws<ArgumentOutOfRangeException>(() => sys.SpawnPool(Options() with { JobTimeout = TimeSpan.FromSeconds(-1) }), "JobTimeout"),
        ["TryRun null job"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentNullException>(() => pool.TryRun((Func<int, int>)null!, out _), "job")),
        ["StopAsync negative deadline"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentOutOfRangeException>(
            () => pool.StopAsync(TimeSpan.FromSeconds(-1)), "deadline")),
        ["DrainAsync infinite deadline"] = sys => WithPool(sys, pool => Expect.Throws<ArgumentOutOfRangeException>(
            () => pool.DrainAsync(Timeout.InfiniteTimeSpan), "deadline")),
        ["RunAsync on a stopped pool"] = sys => Stopped(sys, pool => Expect.Throws<JobRejectedException>(() => pool.RunAsync(s => s), "stopping")),
        ["TryRun on a stopped pool"] = sys => Stopped(sys, TryRunIsRejected),
        ["StopAsync twice"] = sys => Stopped(sys, async pool => Assert.False((await pool.StopAsync()).DeadlineReached)),
        ["DrainAsync after StopAsync"] = sys => Stopped(sys, async pool => Assert.Equal(0, (await pool.DrainAsync()).Cancelled)),
        ["Stats after stop"] = sys => Stopped(sys, async pool => Assert.Equal(1, (await pool.GetStatsAsync()).Completed)),
        ["Scale function throws"] = ScaleThrows,
        ["Scale answers zero then work arrives"] = sys => ScaleAnswers(sys, Actorpool.Dynamic.Scale.Active(0)),
        // 1000 workers for one job is nonsense but must still work; 100_000 hangs the supervisor (see docs/reliability.md).
        ["Scale answers a silly count"] = sys => ScaleAnswers(sys, Actorpool.Dynamic.Scale.Active(1_000)),
    };

    private ActorSystem _system = null!;

    public static TheoryData<string> Names => [.. Cases.Keys];

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("bad-input", "akka.loglevel = OFF");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));

    [Theory(Timeout = 20_000)]
    [MemberData(nameof(Names))]
    public async Task BadInput_GetsAClearAnswer_WithinTheWatchdog(string name) =>
        await Cases[name](_system).WaitAsync(TimeSpan.FromSeconds(10));

    private static PoolOptions<int> Options() => new() { Name = $"p{Interlocked.Increment(ref _nextPool)}", Workers = 2, Init = static i => i };

    private static async Task WithPool(ActorSystem system, Func<PoolRef<int>, Task> act)
    {
        var pool = system.SpawnPool(Options());
        await act(pool);
        await pool.StopAsync();
    }

    private static async Task Stopped(ActorSystem system, Func<PoolRef<int>, Task> act)
    {
        var pool = system.SpawnPool(Options());
        Assert.Equal(1, await pool.RunAsync(static _ => 1));
        await pool.StopAsync();
        await pool.Completion;
        await act(pool);
    }

    private static async Task TryRunIsRejected(PoolRef<int> pool)
    {
        Assert.False(pool.TryRun(static s => s, out var result));
        await Expect.Throws<JobRejectedException>(() => result, "stopping");
    }

    private static async Task ScaleThrows(ActorSystem system)
    {
        var pool = system.SpawnPool(Options() with { Scale = static _ => throw new InvalidOperationException("scale is broken") });
        var job = pool.RunAsync(static s => s + 1);
        await Task.WhenAny(job, Task.Delay(TimeSpan.FromSeconds(3)));
        var report = await pool.StopAsync();
        var stats = await pool.GetStatsAsync();

        // Either the job ran, or stopping cancelled it: it must not be left without an outcome.
        Assert.True(job.IsCompleted, "A job submitted to a pool whose scale function throws got no outcome, even after Stop.");
        Assert.Equal(stats.Submitted, stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled);
        Assert.Equal(job.IsCompletedSuccessfully ? 0 : 1, report.Cancelled);
    }

    private static async Task ScaleAnswers(ActorSystem system, Actorpool.Dynamic.Scale answer)
    {
        var pool = system.SpawnPool(Options() with { Scale = _ => answer });
        var job = pool.RunAsync(static s => s + 1);
        await Task.WhenAny(job, Task.Delay(TimeSpan.FromSeconds(3)));
        await pool.StopAsync();
        Assert.True(job.IsCompleted, $"A job submitted to a pool whose scale answers {answer} got no outcome, even after Stop.");
        var stats = await pool.GetStatsAsync();
        Assert.Equal(stats.Submitted, stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled);
    }
}
