namespace Actorpool.Core.Tests.Scheduling;

public sealed class ScopeTests
{
    [Fact(Timeout = 30_000)]
    public async Task Scope_ReturnsOnlyAfterEverySpawnedJobFinished()
    {
        using var pool = Watchdog.Pool(2);
        var runs = new int[5_000];
        await Watchdog.Run(() => pool.Scope(scope =>
        {
            for (var i = 0; i < runs.Length; i++)
            {
                var index = i;
                scope.Spawn(() =>
                {
                    Thread.SpinWait(50);
                    Interlocked.Increment(ref runs[index]);
                });
            }
        }));
        Assert.All(runs, r => Assert.Equal(1, r)); // read right after Scope returned
    }

    [Fact(Timeout = 30_000)]
    public async Task Scope_WhenBodyThrows_WaitsForJobsThenRethrows()
    {
        using var pool = Watchdog.Pool(2);
        var finished = 0;
        await Watchdog.Run(() =>
        {
            var ex = Assert.Throws<InvalidOperationException>(() => pool.Scope(scope =>
            {
                for (var i = 0; i < 100; i++)
                {
                    scope.Spawn(() =>
                    {
                        Thread.SpinWait(2_000);
                        Interlocked.Increment(ref finished);
                    });
                }

                throw new InvalidOperationException("body");
            }));
            Assert.Equal("body", ex.Message);
            Assert.Equal(100, Volatile.Read(ref finished));
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task Scope_WhenJobsThrow_RunsTheRestAndThrowsAggregate()
    {
        using var pool = Watchdog.Pool(2);
        var ran = 0;
        await Watchdog.Run(() =>
        {
            var ex = Assert.Throws<AggregateException>(() => pool.Scope(scope =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var index = i;
                    scope.Spawn(() =>
                    {
                        Interlocked.Increment(ref ran);
                        if (index % 4 == 0)
                        {
                            throw new InvalidOperationException($"job {index}");
                        }
                    });
                }
            }));
            Assert.Equal(["job 0", "job 4", "job 8"], ex.InnerExceptions.Select(e => e.Message).Order());
        });
        Assert.Equal(10, ran);
    }

    [Fact(Timeout = 30_000)]
    public async Task Scope_JobsSpawningJobs_AreAllAwaited()
    {
        using var pool = Watchdog.Pool(2);
        var leaves = 0;
        await Watchdog.Run(() => pool.Scope(scope =>
        {
            void Tree(int depth)
            {
                if (depth == 0)
                {
                    Interlocked.Increment(ref leaves);
                    return;
                }

                scope.Spawn(() => Tree(depth - 1));
                scope.Spawn(() => Tree(depth - 1));
            }

            Tree(10);
        }));
        Assert.Equal(1024, leaves);
    }

    [Fact(Timeout = 30_000)]
    public async Task Spawn_AfterScopeEnded_Throws()
    {
        using var pool = Watchdog.Pool(1);
        TaskScope? escaped = null;
        await Watchdog.Run(() => pool.Scope(scope => escaped = scope));
        Assert.Throws<InvalidOperationException>(() => escaped!.Spawn(() => { }));
    }

    [Fact(Timeout = 30_000)]
    public async Task WithState_BuildsOneStatePerThread_PassesItByRef_AndDisposesItAtTheEnd()
    {
        using var pool = Watchdog.Pool(2);
        var built = new List<Connection>();
        var total = 0;
        await Watchdog.Run(() => pool.Scope(scope =>
        {
            var withDb = scope.WithState(() =>
            {
                var c = new Connection(Environment.CurrentManagedThreadId);
                lock (built)
                {
                    built.Add(c);
                }

                return c;
            });
            for (var i = 0; i < 2_000; i++)
            {
                withDb.Spawn((ref Connection db) =>
                {
                    Assert.Equal(Environment.CurrentManagedThreadId, db.Thread);
                    db.Uses++;
                    Interlocked.Increment(ref total);
                });
            }
        }));
        Assert.Equal(2_000, total);
        Assert.Equal(built.Count, built.Select(c => c.Thread).Distinct().Count()); // once per thread
        Assert.InRange(built.Count, 1, 3); // two workers and the helping caller
        Assert.Equal(2_000, built.Sum(c => c.Uses));
        Assert.All(built, c => Assert.True(c.Disposed));
    }

    [Fact(Timeout = 30_000)]
    public async Task Spawn_WithFullBacklog_BlocksAndHelpsUntilThereIsRoom()
    {
        using var pool = Watchdog.Pool(1);
        using var release = new ManualResetEventSlim();
        using var blocking = new ManualResetEventSlim();
        var blocker = pool.Spawn(() =>
        {
            blocking.Set();
            release.Wait();
        });
        Assert.True(blocking.Wait(Watchdog.Limit));
        var started = 0;
        var maxQueued = 0;
        await Watchdog.Run(() => pool.Scope(
            scope =>
            {
                for (var spawned = 1; spawned <= 20; spawned++)
                {
                    scope.Spawn(() => Interlocked.Increment(ref started));
                    maxQueued = Math.Max(maxQueued, spawned - Volatile.Read(ref started));
                }
            },
            backlog: 3));
        Assert.Equal(20, started);
        Assert.Equal(3, maxQueued); // the only worker is blocked: the caller ran the rest itself
        release.Set();
        await blocker.AsTask().WaitAsync(Watchdog.Limit);
    }

    [Fact]
    public void Scope_WithBacklogBelowOne_ThrowsNamingIt()
    {
        using var pool = Watchdog.Pool(1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Scope(_ => { }, backlog: 0));
        Assert.Equal("backlog", ex.ParamName);
        Assert.Contains("Backlog must be at least 1, was 0", ex.Message, StringComparison.Ordinal);
    }

    private sealed class Connection(int thread) : IDisposable
    {
        public int Thread { get; } = thread;

        public int Uses { get; set; }

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
