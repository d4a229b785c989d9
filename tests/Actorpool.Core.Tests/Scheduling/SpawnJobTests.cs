namespace Actorpool.Core.Tests.Scheduling;

/// <summary><see cref="WorkStealingPool.Spawn{TJob}(TJob)"/>: a struct job whose handle is its only allocation.</summary>
public sealed class SpawnJobTests
{
    [Fact(Timeout = 30_000)]
    public async Task Spawn_ManyStructJobs_RunsEachExactlyOnce()
    {
        using var pool = Watchdog.Pool(2);
        const int count = 200_000;
        var runs = new int[count];
        var completed = 0;
        await Watchdog.Run(() =>
        {
            var handles = new TaskHandle[count];
            for (var i = 0; i < count; i++)
            {
                handles[i] = pool.Spawn(new MarkJob(runs, i));
            }

            foreach (var h in handles)
            {
                h.Join();
                completed += h.IsCompleted && !h.IsCanceled ? 1 : 0;
            }
        });
        Assert.Equal(count, completed);
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_OnStructJobHandle_ReturnsTheJobWithWhatItStored()
    {
        using var pool = Watchdog.Pool();
        var handle = pool.Spawn(new SquareJob(12));
        SquareJob done = default;
        await Watchdog.Run(() => done = handle.Join());
        Assert.Equal(144, done.Square);
        Assert.Equal(12, done.Input);
        Assert.True(handle.TryJoin(out var again));
        Assert.Equal(144, again.Square);
        Assert.Equal(144, (await handle.AsTask().WaitAsync(Watchdog.Limit)).Square);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WhenStructJobThrew_RethrowsTheExceptionAndTheTaskFaults()
    {
        using var pool = Watchdog.Pool();
        var handle = pool.Spawn(new ThrowingJob("struct job"));
        await Watchdog.Run(() => Assert.Equal("struct job", Assert.Throws<InvalidOperationException>(() => handle.Join()).Message));
        Assert.True(handle.IsCompleted);
        Assert.False(handle.IsCanceled);
        var viaTask = await Assert.ThrowsAsync<InvalidOperationException>(() => handle.AsTask().WaitAsync(Watchdog.Limit));
        Assert.Equal("struct job", viaTask.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_OnNotStartedStructJob_RunsItInlineOnTheJoiner()
    {
        using var pool = Watchdog.Pool(1);
        using var blocker = new Blocker(pool);
        Assert.True(blocker.WaitStarted());
        var queued = pool.Spawn(new ThreadJob());
        var joiner = 0;
        var ran = 0;
        await Watchdog.Run(() =>
        {
            joiner = Environment.CurrentManagedThreadId;
            ran = queued.Join().RanOn;
        });
        Assert.Equal(joiner, ran);
        blocker.Release();
        await blocker.Handle.AsTask().WaitAsync(Watchdog.Limit);
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_WithQueuedStructJobs_CompletesEachOnceAsRunOrCancelled()
    {
        var pool = Watchdog.Pool(1);
        using var blocker = new Blocker(pool);
        Assert.True(blocker.WaitStarted());
        const int submitted = 100;
        var runs = new int[submitted];
        var pending = Enumerable.Range(0, submitted).Select(i => pool.Spawn(new MarkJob(runs, i))).ToList();
        Assert.True(pending[^1].Cancel()); // a queued struct job can be cancelled like any handle
        var disposing = Task.Run(pool.Dispose);
        blocker.Release();
        await disposing.WaitAsync(Watchdog.Limit);
        await blocker.Handle.AsTask().WaitAsync(Watchdog.Limit);
        Assert.All(pending, h => Assert.True(h.IsCompleted));
        var cancelled = pending.Count(h => h.IsCanceled);
        var completed = pending.Count(h => !h.IsCanceled);
        Assert.Equal(submitted, completed + cancelled); // every handle has exactly one outcome
        Assert.Equal(completed, runs.Sum());
        Assert.All(runs, r => Assert.InRange(r, 0, 1));
        Assert.True(cancelled >= 1);
        foreach (var h in pending.Where(h => h.IsCanceled))
        {
            Assert.Throws<OperationCanceledException>(() => h.Join());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.AsTask().WaitAsync(Watchdog.Limit));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Spawn_StructJobOnDisposedPool_ThrowsObjectDisposedAndRunsNothing()
    {
        var pool = Watchdog.Pool(1);
        await Watchdog.Run(pool.Dispose);
        var runs = new int[1];
        var ex = Assert.Throws<ObjectDisposedException>(() => pool.Spawn(new MarkJob(runs, 0)));
        Assert.Equal(typeof(WorkStealingPool).FullName, ex.ObjectName);
        Assert.Equal(0, runs[0]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Spawn_StructJob_AllocatesItsHandleAndNothingElse()
    {
        using var pool = Watchdog.Pool(1);
        using var blocker = new Blocker(pool);
        Assert.True(blocker.WaitStarted());
        const int count = 10_000;
        var runs = new int[count];
        var handles = new TaskHandle<MarkJob>[count];
        long handleBytes = 0;
        long spawnBytes = 0;
        await Watchdog.Run(() =>
        {
            // Twice as many spawns first, run to the end: JIT and the queue's storage grow here, so the queue's
            // last segment holds the measured spawns without allocating (ConcurrentQueue reuses a drained ring).
            var warm = Enumerable.Range(0, 2 * count).Select(i => pool.Spawn(new MarkJob(new int[1], 0))).ToList();
            blocker.Release();
            warm.ForEach(h => h.Join());

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < count; i++)
            {
                handles[i] = new JobTaskHandle<MarkJob>(new MarkJob(runs, i)); // what one handle costs, no queue
            }

            handleBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < count; i++)
            {
                handles[i] = pool.Spawn(new MarkJob(runs, i));
            }

            spawnBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            foreach (var h in handles)
            {
                h.Join();
            }
        });

        Assert.All(runs, r => Assert.Equal(1, r));
        var perHandle = (double)handleBytes / count;
        var perSpawn = (double)spawnBytes / count;
        Assert.InRange(perHandle, 24, 128);

        // A delegate alone is 64 bytes; a segment the queue had to grow would show as 16+ bytes per item.
        Assert.True(perSpawn >= perHandle && perSpawn < perHandle + 8,
            $"a struct spawn allocated {perSpawn:F1} bytes, one handle is {perHandle:F1}");
    }

    [Fact(Timeout = 30_000)]
    public async Task ForkSpawn_StructJob_RunsOnTheDefaultPool()
    {
        var handle = Fork.Spawn(new SquareJob(9));
        Assert.Equal(81, (await handle.AsTask().WaitAsync(Watchdog.Limit)).Square);
    }

    /// <summary>Counts its run in its slot of a shared array.</summary>
    private readonly struct MarkJob(int[] runs, int index) : IJob
    {
        public void Run() => Interlocked.Increment(ref runs[index]);
    }

    /// <summary>Stores its result in a field, which comes back through the handle.</summary>
    private struct SquareJob(int input) : IJob
    {
        public readonly int Input = input;
        public int Square;

        public void Run() => Square = Input * Input;
    }

    private readonly struct ThrowingJob(string message) : IJob
    {
        public void Run() => throw new InvalidOperationException(message);
    }

    private struct ThreadJob : IJob
    {
        public int RanOn;

        public void Run() => RanOn = Environment.CurrentManagedThreadId;
    }
}
