namespace Actorpool.Core.Tests.Scheduling;

public sealed class SpawnTests
{
    [Fact(Timeout = 30_000)]
    public async Task Spawn_ManyTasks_RunsEachExactlyOnce()
    {
        using var pool = Watchdog.Pool(2);
        const int count = 200_000;
        var runs = new int[count];
        await Watchdog.Run(() =>
        {
            var handles = new TaskHandle[count];
            for (var i = 0; i < count; i++)
            {
                var index = i;
                handles[i] = pool.Spawn(() => Interlocked.Increment(ref runs[index]));
            }

            foreach (var h in handles)
            {
                h.Join();
            }
        });
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_OnHandle_ReturnsTheResult()
    {
        using var pool = Watchdog.Pool();
        var handle = pool.Spawn(() => 40 + 2);
        var value = 0;
        await Watchdog.Run(() => value = handle.Join());
        Assert.Equal(42, value);
        Assert.True(handle.IsCompleted);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_OnNotStartedHandle_RunsItInlineOnTheJoiner()
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
        var queued = pool.Spawn(() => Environment.CurrentManagedThreadId);
        var joiner = 0;
        var ran = 0;
        await Watchdog.Run(() =>
        {
            joiner = Environment.CurrentManagedThreadId;
            ran = queued.Join();
        });
        Assert.Equal(joiner, ran);
        release.Set();
        blocker.Join();
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WhenTaskThrew_RethrowsTheException()
    {
        using var pool = Watchdog.Pool();
        var handle = pool.Spawn<int>(() => throw new InvalidOperationException("spawned"));
        await Watchdog.Run(() => Assert.Equal("spawned", Assert.Throws<InvalidOperationException>(() => handle.Join()).Message));
        var viaTask = await Assert.ThrowsAsync<InvalidOperationException>(() => handle.AsTask().WaitAsync(Watchdog.Limit));
        Assert.Equal("spawned", viaTask.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancel_BeforeStart_MakesJoinThrowOperationCanceledAndNeverRuns()
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
        var ran = 0;
        var victim = pool.Spawn(() => Interlocked.Increment(ref ran));
        Assert.True(victim.Cancel());
        Assert.False(victim.Cancel());
        Assert.True(victim.IsCompleted);
        Assert.True(victim.IsCanceled);
        Assert.Throws<OperationCanceledException>(() => victim.Join());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => victim.AsTask().WaitAsync(Watchdog.Limit));
        release.Set();
        await Watchdog.Run(blocker.Join);
        var after = pool.Spawn(() => 1);
        await Watchdog.Run(() => after.Join());
        Assert.Equal(0, Volatile.Read(ref ran));
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancel_AfterStart_ReturnsFalseAndTaskCompletes()
    {
        using var pool = Watchdog.Pool(1);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var handle = pool.Spawn(() =>
        {
            started.Set();
            release.Wait();
            return 7;
        });
        Assert.True(started.Wait(Watchdog.Limit));
        Assert.False(handle.Cancel());
        Assert.False(handle.TryJoin(out _));
        release.Set();
        Assert.Equal(7, await handle.AsTask().WaitAsync(Watchdog.Limit));
        Assert.True(handle.TryJoin(out var value));
        Assert.Equal(7, value);
    }

    [Fact(Timeout = 30_000)]
    public async Task Spawn_IsFifoAmongBackgroundTasks_OnASingleWorker()
    {
        using var pool = Watchdog.Pool(1);
        using var release = new ManualResetEventSlim();
        var order = new List<int>();
        var gate = pool.Spawn(release.Wait);
        var handles = Enumerable.Range(0, 50).Select(i => pool.Spawn(() =>
        {
            lock (order)
            {
                order.Add(i);
            }
        })).ToList();
        release.Set();
        foreach (var h in handles)
        {
            await h.AsTask().WaitAsync(Watchdog.Limit);
        }

        await gate.AsTask().WaitAsync(Watchdog.Limit);
        Assert.Equal(Enumerable.Range(0, 50), order);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnsafeQueue_RunsEveryItemExactlyOnce()
    {
        using var pool = Watchdog.Pool(2);
        const int count = 1_000_000;
        var item = new CountingItem(count);
        await Watchdog.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                pool.UnsafeQueue(item);
            }

            Assert.True(item.Done.Wait(Watchdog.Limit));
        });
        Assert.Equal(count, Volatile.Read(ref item.Runs));
    }

    [Fact(Timeout = 30_000)]
    public async Task UnsafeQueue_WhenItemThrows_ReportsItAndKeepsWorking()
    {
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 1, OnUnhandledException = e => reported.TrySetResult(e) });
        pool.UnsafeQueue(new ThrowingItem());
        var ex = await reported.Task.WaitAsync(Watchdog.Limit);
        Assert.Equal("queued", ex.Message);
        Assert.Equal(3, await pool.Spawn(() => 3).AsTask().WaitAsync(Watchdog.Limit));
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_FromManyThreadsAtOnce_RunsTheTaskOnceAndGivesEveryoneTheResult()
    {
        using var pool = Watchdog.Pool(1);
        var runs = 0;
        using var release = new ManualResetEventSlim();
        var handle = pool.Spawn(() =>
        {
            Interlocked.Increment(ref runs);
            release.Wait();
            return "shared";
        });
        var joiners = Enumerable.Range(0, 4).Select(_ => Watchdog.Run(() => Assert.Equal("shared", handle.Join()))).ToList();
        release.Set();
        await Task.WhenAll(joiners);
        Assert.Equal(1, runs);
    }

    private sealed class CountingItem(int expected) : IThreadPoolWorkItem
    {
        public int Runs;

        public ManualResetEventSlim Done { get; } = new();

        public void Execute()
        {
            if (Interlocked.Increment(ref Runs) == expected)
            {
                Done.Set();
            }
        }
    }

    private sealed class ThrowingItem : IThreadPoolWorkItem
    {
        public void Execute() => throw new InvalidOperationException("queued");
    }
}
