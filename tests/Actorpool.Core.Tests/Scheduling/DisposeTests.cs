namespace Actorpool.Core.Tests.Scheduling;

public sealed class DisposeTests
{
    [Fact(Timeout = 30_000)]
    public async Task Dispose_WithQueuedSpawns_CompletesThemAsCancelled()
    {
        var pool = Watchdog.Pool(1);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var blocker = pool.Spawn(() =>
        {
            started.Set();
            release.Wait(Watchdog.Limit);
        });
        Assert.True(started.Wait(Watchdog.Limit));
        var ran = 0;
        var pending = Enumerable.Range(0, 100).Select(_ => pool.Spawn(() => Interlocked.Increment(ref ran))).ToList();
        var disposing = Task.Run(pool.Dispose);
        release.Set();
        await disposing.WaitAsync(Watchdog.Limit);
        await blocker.AsTask().WaitAsync(Watchdog.Limit);
        Assert.All(pending, h => Assert.True(h.IsCompleted));
        var cancelled = pending.Count(h => h.IsCanceled);
        Assert.Equal(100, cancelled + Volatile.Read(ref ran)); // each ran or was cancelled, exactly once
        foreach (var h in pending.Where(h => h.IsCanceled))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.AsTask().WaitAsync(Watchdog.Limit));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_WhileAWorkerHoldsABurstOfSpawns_CompletesThemAsCancelled()
    {
        var pool = Watchdog.Pool(1);
        using var first = new Blocker(pool);
        Assert.True(first.WaitStarted());

        // Queued behind the first task: the worker takes these in one burst and blocks in the second task,
        // holding the rest in its ring when Dispose starts.
        using var second = new Blocker(pool);
        var ran = 0;
        var pending = Enumerable.Range(0, 40).Select(_ => pool.Spawn(() => Interlocked.Increment(ref ran))).ToList();
        first.Release();
        Assert.True(second.WaitStarted());
        var disposing = Task.Run(pool.Dispose);
        second.Release();
        await disposing.WaitAsync(Watchdog.Limit);
        await Task.WhenAll(first.Handle.AsTask(), second.Handle.AsTask()).WaitAsync(Watchdog.Limit);
        Assert.All(pending, h => Assert.True(h.IsCompleted));
        Assert.Equal(40, pending.Count(h => h.IsCanceled) + Volatile.Read(ref ran)); // each ran or was cancelled, once
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_ThenSpawnOrQueue_ThrowsObjectDisposed()
    {
        var pool = Watchdog.Pool(1);
        await Watchdog.Run(pool.Dispose);
        Assert.Throws<ObjectDisposedException>(() => pool.Spawn(() => 1));
        Assert.Throws<ObjectDisposedException>(() => pool.UnsafeQueue(new NoOp()));
        Assert.Throws<ObjectDisposedException>(() => pool.Join(() => { }, () => { }));
        pool.Dispose(); // idempotent
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_DuringExternalJoin_LetsTheJoinFinish()
    {
        var pool = Watchdog.Pool(2);
        long leaves = 0;
        long result = 0;
        using var inside = new ManualResetEventSlim();
        var joining = Watchdog.Run(() => result = pool.Join(
            () =>
            {
                inside.Set();
                return Fib.Compute(pool, 24, ref leaves);
            },
            () => 1L).A);
        Assert.True(inside.Wait(Watchdog.Limit));
        await Watchdog.Run(pool.Dispose);
        await joining;
        Assert.Equal(46_368, result);
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_OnDefaultPool_IsANoOpAndThePoolKeepsWorking()
    {
        WorkStealingPool.Default.Dispose();
        Assert.Equal(Environment.ProcessorCount, WorkStealingPool.Default.ThreadCount);
        Assert.Equal(5, await WorkStealingPool.Default.Spawn(() => 5).AsTask().WaitAsync(Watchdog.Limit));
    }

    private sealed class NoOp : IThreadPoolWorkItem
    {
        public void Execute()
        {
        }
    }
}
