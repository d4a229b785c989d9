using Actorpool.Dynamic;

namespace Actorpool.Reliability.Tests.BadInput;

/// <summary>
/// Every public entry point of the Core scheduler given bad input: each row gets a clear exception naming the bad
/// value (or a defined outcome) within a watchdog; none hangs.
/// </summary>
public sealed class CoreBadInputTests
{
    private static readonly Action Nothing = static () => { };

    private static readonly Dictionary<string, Func<Task>> Cases = new()
    {
        ["Threads 0"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Pool(new() { Threads = 0 }), "Threads", "was 0"),
        ["Threads -3"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Pool(new() { Threads = -3 }), "Threads", "was -3"),
        ["SpinTime negative"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Pool(new() { SpinTime = TimeSpan.FromSeconds(-1) }), "SpinTime"),
        ["SpinTime infinite"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Pool(new() { SpinTime = Timeout.InfiniteTimeSpan }), "SpinTime"),
        ["ScaleCachePeriod negative"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Pool(new() { ScaleCachePeriod = TimeSpan.FromTicks(-1) }), "ScaleCachePeriod"),
        ["ThreadNamePrefix empty"] = () => Expect.Throws<ArgumentException>(() => Pool(new() { ThreadNamePrefix = "" }), "ThreadNamePrefix"),
        ["TimeProvider null"] = () => Expect.Throws<ArgumentNullException>(() => Pool(new() { TimeProvider = null! }), "TimeProvider"),
        ["UnsafeQueue null"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.UnsafeQueue(null!), "item")),
        ["Spawn null action"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.Spawn(null!), "action")),
        ["Spawn null function"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.Spawn<int>(null!), "function")),
        ["Join null side"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.Join(Nothing, null!), "b")),
        ["JoinAll null array"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.JoinAll(null!), "actions")),
        ["For null body"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.For(0, 10, null!), "body")),
        ["For to below from"] = () => WithPool(pool => Expect.Throws<ArgumentOutOfRangeException>(() => pool.For(10, 0, _ => { }), "to")),
        ["Reduce null combine"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.Reduce(0, 4, 0, i => i, null!), "combine")),
        ["Split.Chunks 0"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Split.Chunks(0), "count", "was 0"),
        ["Split.ChunkSize -1"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Split.ChunkSize(-1), "size", "was -1"),
        ["Scope null body"] = () => WithPool(pool => Expect.Throws<ArgumentNullException>(() => pool.Scope(null!), "body")),
        ["Scope backlog 0"] = () => WithPool(pool => Expect.Throws<ArgumentOutOfRangeException>(() => pool.Scope(_ => { }, backlog: 0), "Backlog", "was 0")),
        ["UnsafeQueue after Dispose"] = () => Disposed(pool => Expect.Throws<ObjectDisposedException>(() => pool.UnsafeQueue(new NoopItem()), nameof(WorkStealingPool))),
        ["Spawn after Dispose"] = () => Disposed(pool => Expect.Throws<ObjectDisposedException>(() => pool.Spawn(Nothing), nameof(WorkStealingPool))),
        ["Scope after Dispose"] = () => Disposed(pool => Expect.Throws<ObjectDisposedException>(() => pool.Scope(_ => { }), nameof(WorkStealingPool))),
        ["Join after Dispose"] = () => Disposed(pool => Expect.Throws<ObjectDisposedException>(() => pool.Join(() => 1, () => 2), nameof(WorkStealingPool))),
        ["Dispose twice"] = () => Disposed(pool => Expect.Succeeds(pool.Dispose)),
        ["Dispose Default is a no-op"] = () => Expect.Succeeds(() =>
        {
            WorkStealingPool.Default.Dispose();
            Assert.Equal((1, 2), WorkStealingPool.Default.Join(() => 1, () => 2));
        }),
        ["Join a cancelled handle"] = JoinCancelledHandle,
        ["Scale function throws"] = ScaleThrows,
        ["Scale function returns negative"] = () => ScaleReturns(-5),
        ["Scale function returns int.MaxValue"] = () => ScaleReturns(int.MaxValue),
        ["Dynamic Scale.Active -1"] = () => Expect.Throws<ArgumentOutOfRangeException>(() => Scale.Active(-1), "workers"),
        ["Dynamic PollInterval zero"] = () => Expect.Throws<ArgumentOutOfRangeException>(
            () => new DynamicPoolOptions { PollInterval = TimeSpan.Zero }.Validate(), "PollInterval"),
        ["Dynamic WithThreads -1"] = () => Expect.Throws<ArgumentOutOfRangeException>(
            () => DynamicSystem.FunctionWorker(_ => () => Decision.Again).WithThreads(-1), "threads"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory(Timeout = 20_000)]
    [MemberData(nameof(Names))]
    public async Task BadInput_GetsAClearAnswer_WithinTheWatchdog(string name) =>
        await Cases[name]().WaitAsync(TimeSpan.FromSeconds(10));

    private static WorkStealingPool Pool(WorkStealingPoolOptions options) => new(options with { Threads = Math.Min(options.Threads, 2) });

    private static async Task WithPool(Func<WorkStealingPool, Task> act)
    {
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 2 });
        await act(pool);
    }

    private static async Task Disposed(Func<WorkStealingPool, Task> act)
    {
        var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 2 });
        pool.Dispose();
        await act(pool);
    }

    private static async Task JoinCancelledHandle()
    {
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 1 });
        using var release = new ManualResetEventSlim();
        var blocker = pool.Spawn(() => release.Wait());
        var queued = pool.Spawn(() => 42);
        Assert.True(queued.Cancel());
        release.Set();
        blocker.Join();
        await Expect.Throws<OperationCanceledException>(() => queued.Join(), "cancelled");
        Assert.True(queued.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.AsTask());
    }

    private static async Task ScaleThrows()
    {
        var reported = new List<Exception>();
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions
        {
            Threads = 2,
            Scale = static () => throw new InvalidOperationException("scale is broken"),
            OnUnhandledException = ex =>
            {
                lock (reported)
                {
                    reported.Add(ex);
                }
            },
        });
        await Expect.Succeeds(() => Assert.Equal((1, 2), pool.Join(() => 1, () => 2)));
        lock (reported)
        {
            Assert.Contains(reported, ex => ex.Message == "scale is broken");
        }
    }

    private static async Task ScaleReturns(int answer)
    {
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 2, Scale = () => answer });
        await Expect.Succeeds(() => Assert.Equal(45, pool.Reduce(0, 10, 0, i => i, (x, y) => x + y)));
        var handle = pool.Spawn(() => 7);
        Assert.Equal(7, handle.Join()); // with no worker admitted, the joiner runs it inline
    }

    private sealed class NoopItem : IThreadPoolWorkItem
    {
        public void Execute()
        {
        }
    }
}
