using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Jobs;

/// <summary>
/// Asynchronous job code on a real pool: the worker stays the job's until its task completes, failures reach the
/// panic policy after the task ended, and every way of cancelling reaches a running job exactly once.
/// </summary>
public sealed class AsyncJobSpecs : PoolSpec
{
    private static PoolOptions<Worker> Options(string name, int workers = 1, PanicPolicy? panic = null, TimeProvider? time = null, TimeSpan? timeout = null) => new()
    {
        Name = name,
        Workers = workers,
        Init = i => new Worker(i),
        Panic = panic ?? PanicPolicy.Respawn(),
        TimeProvider = time ?? TimeProvider.System,
        JobTimeout = timeout,
    };

    [Fact(Timeout = 30_000)]
    public async Task AnAsyncLambda_BindsToAnAsyncOverload_AndItsResultIsTheAwaitedValue()
    {
        var pool = Sys.SpawnPool(Options("async-binding"));

        // Task<int>, not Task<Task<int>>: the async lambda does not bind to the synchronous Func<TState, TResult>.
        Task<int> withoutToken = pool.RunAsync(async w =>
        {
            await Task.Yield();
            return w.Index + 1;
        });
        Task<int> withToken = pool.RunAsync(async (w, token) =>
        {
            await Task.Delay(1, token);
            return w.Index + 2;
        });
        Task noResult = pool.RunAsync(async w => await Task.Yield());

        Assert.Equal(1, await withoutToken.WaitAsync(Watchdog));
        Assert.Equal(2, await withToken.WaitAsync(Watchdog));
        await noResult.WaitAsync(Watchdog);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task ASynchronousJobThatReturnsATask_IsRefused_NamingTheAsyncOverloads()
    {
        var pool = Sys.SpawnPool(Options("async-refused"));

        var refused = ThrowsNow<ArgumentException>(() => pool.RunAsync<Task<int>>(w => Task.FromResult(w.Index)));
        Assert.Equal("job", refused.ParamName);
        Assert.Contains("function returning a Task or ValueTask", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => pool.TryRun<ValueTask>(_ => ValueTask.CompletedTask, out _));
        ThrowsNow<ArgumentNullException>(() => pool.RunAsync((Func<Worker, CancellationToken, ValueTask<int>>)null!));
        ThrowsNow<ArgumentNullException>(() => pool.RunAsync((Func<Worker, Task>)null!));

        foreach (var bad in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(-1), Timeout.InfiniteTimeSpan, TimeSpan.MaxValue })
        {
            var outOfRange = ThrowsNow<ArgumentOutOfRangeException>(() => pool.RunAsync(async (w, _) => await Task.FromResult(w.Index), timeout: bad));
            Assert.Equal("timeout", outOfRange.ParamName);
        }

        var options = Assert.Throws<ArgumentOutOfRangeException>(() => Sys.SpawnPool(Options("async-bad-timeout", timeout: TimeSpan.FromDays(-1))));
        Assert.Equal(nameof(PoolOptions<Worker>.JobTimeout), options.ParamName);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 60_000)]
    public async Task TwoAsyncJobs_OnAOneWorkerPool_NeverOverlapOnItsState()
    {
        var pool = Sys.SpawnPool(Options("async-exclusive") with { Prefetch = 8 });
        var jobs = Enumerable.Range(0, 300).Select(i => i % 3 == 0
            ? pool.RunAsync(async (w, token) =>
            {
                w.Enter();
                await Task.Delay(1, token);
                w.Exit();
                return i;
            })
            : pool.RunAsync(async w =>
            {
                w.Enter();
                await Task.Yield();
                w.Exit();
                return i;
            })).ToArray();

        Assert.Equal(Enumerable.Range(0, 300), await Task.WhenAll(jobs).WaitAsync(Watchdog));
        var state = await pool.RunAsync(w => w).WaitAsync(Watchdog);
        Assert.Equal((300, 0), (state.Entries, state.Overlaps));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal(301, stats.Completed);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(PanicKind.Respawn)]
    [InlineData(PanicKind.Resume)]
    [InlineData(PanicKind.Kill)]
    public async Task AnAsyncFault_IsJudgedByThePanicPolicy_AfterItsTaskEnded(PanicKind kind)
    {
        var panic = kind switch { PanicKind.Respawn => PanicPolicy.Respawn(), PanicKind.Resume => PanicPolicy.Resume, _ => PanicPolicy.Kill };
        var pool = Sys.SpawnPool(Options($"async-fault-{kind}".ToLowerInvariant(), panic: panic));
        var first = await pool.RunAsync(w => w).WaitAsync(Watchdog);

        var fault = pool.RunAsync(async w =>
        {
            await Task.Yield();
            w.Enter();
            await Task.Delay(5);
            w.Exit(); // the state is not disposed while the job's code still runs
            throw new InvalidOperationException("async boom");
#pragma warning disable CS0162 // unreachable: the lambda's return type
            return 0;
#pragma warning restore CS0162
        });

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => fault.WaitAsync(Watchdog));
        Assert.Equal("async boom", thrown.Message);
        Assert.False(first.DisposedWhileInside);
        if (kind == PanicKind.Kill)
        {
            await pool.Completion.WaitAsync(Watchdog);
            Assert.IsType<InvalidOperationException>(pool.KillCause);
        }
        else
        {
            var after = await pool.RunAsync(w => w).WaitAsync(Watchdog);
            Assert.Equal(kind == PanicKind.Resume, ReferenceEquals(first, after));
            Assert.Equal(kind == PanicKind.Respawn, first.Disposed);
        }

        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((1, kind == PanicKind.Respawn ? 1 : 0), (stats.Failed, stats.Restarts));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheCallersToken_CancelsARunningJob_Once()
    {
        var pool = Sys.SpawnPool(Options("async-caller"));
        using var caller = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observed = 0;
        var job = pool.RunAsync(
            async (w, token) =>
            {
                token.Register(() => Interlocked.Increment(ref observed)); // not disposed by the job: the job may end before the canceller reaches this callback
                started.SetResult();
                await Task.Delay(Timeout.Infinite, token);
                return 1;
            },
            caller.Token);

        await started.Task.WaitAsync(Watchdog);
        await caller.CancelAsync();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.WaitAsync(Watchdog));
        Assert.Equal(caller.Token, cancelled.CancellationToken);
        Assert.Equal(2, await pool.RunAsync(w => 2).WaitAsync(Watchdog)); // the worker is free again
        Assert.Equal(1, Volatile.Read(ref observed));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((1, 0, 0), (stats.Cancelled, stats.Failed, stats.Restarts));
    }

    [Fact(Timeout = 30_000)]
    public async Task ATimeout_OnThePoolsClock_CancelsARunningJob_SayingItTimedOut()
    {
        var time = new FakeTimeProvider();
        var pool = Sys.SpawnPool(Options("async-timeout", time: time, timeout: TimeSpan.FromSeconds(5)));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = pool.RunAsync(async (w, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        });
        await started.Task.WaitAsync(Watchdog);

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(job.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var cancelled = await Assert.ThrowsAsync<JobCancelledException>(() => job.WaitAsync(Watchdog));
        Assert.Contains("timed out after 00:00:05", cancelled.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(cancelled.InnerException);

        // A call's own timeout overrides the pool's; a synchronous job is cut off too (its code runs on).
        var release = new ManualResetEventSlim();
        var syncStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sync = pool.RunAsync(
            w =>
            {
                syncStarted.SetResult();
                release.Wait(Watchdog);
            },
            timeout: TimeSpan.FromSeconds(1));
        await syncStarted.Task.WaitAsync(Watchdog);
        time.Advance(TimeSpan.FromSeconds(1));
        var syncCancelled = await Assert.ThrowsAsync<JobCancelledException>(() => sync.WaitAsync(Watchdog));
        Assert.Contains("timed out after 00:00:01", syncCancelled.Message, StringComparison.Ordinal);
        release.Set();

        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((2, 0), (stats.Cancelled, stats.Failed));
    }

    [Fact(Timeout = 30_000)]
    public async Task AStopDeadline_CancelsRunningJobs_AndTheReportCountsThem_ThoughOneIgnoresItsToken()
    {
        var pool = Sys.SpawnPool(Options("async-deadline", workers: 2) with { Prefetch = 1 }); // one job per worker
        var observing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ignoring = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var polite = pool.RunAsync(async (w, token) =>
        {
            observing.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        });
        var stubborn = pool.RunAsync(async (w, token) =>
        {
            ignoring.SetResult();
            await release.Task; // ignores its token
            return 2;
        });
        await Task.WhenAll(observing.Task, ignoring.Task).WaitAsync(Watchdog);

        var report = await pool.StopAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(Watchdog);

        Assert.True(report.DeadlineReached);
        Assert.Equal(2, report.RunningWhenCutOff);
        await Assert.ThrowsAsync<JobCancelledException>(() => polite.WaitAsync(Watchdog));
        await Assert.ThrowsAsync<JobCancelledException>(() => stubborn.WaitAsync(Watchdog));
        Assert.False(pool.Completion.IsCompleted); // the stubborn job still holds its worker
        release.SetResult();
        await pool.Completion.WaitAsync(Watchdog);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((2, 0), (stats.Cancelled, stats.Completed));
    }

    [Fact(Timeout = 30_000)]
    public async Task AKill_AndAStopsToken_CancelARunningJob_Once()
    {
        var killed = Sys.SpawnPool(Options("async-kill", workers: 2, panic: PanicPolicy.Kill) with { Prefetch = 1 });
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = killed.RunAsync(async (w, token) =>
        {
            running.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        });
        await running.Task.WaitAsync(Watchdog);
        var failing = killed.RunAsync(new Func<Worker, int>(_ => throw new InvalidOperationException("fatal")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Watchdog));
        var cut = await Assert.ThrowsAsync<JobCancelledException>(() => waiting.WaitAsync(Watchdog));
        Assert.Contains("was killed", cut.Message, StringComparison.Ordinal);
        await killed.Completion.WaitAsync(Watchdog);
        var killedStats = await AssertBalancedAsync(killed);
        Assert.Equal((1, 1), (killedStats.Cancelled, killedStats.Failed));

        var drained = Sys.SpawnPool(Options("async-drain-token"));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = drained.RunAsync(async (w, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        });
        await started.Task.WaitAsync(Watchdog);
        using var giveUp = new CancellationTokenSource();
        var drain = drained.DrainAsync(cancellationToken: giveUp.Token);
        await giveUp.CancelAsync();

        var report = await drain.WaitAsync(Watchdog);
        Assert.True(report.DeadlineReached);
        Assert.Equal(1, report.RunningWhenCutOff);
        await Assert.ThrowsAsync<JobCancelledException>(() => slow.WaitAsync(Watchdog));
        await drained.Completion.WaitAsync(Watchdog);
        Assert.Equal(1, (await AssertBalancedAsync(drained)).Cancelled);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAsyncJobThatFails_IsRetriedOnAnotherWorker()
    {
        var pool = Sys.SpawnPool(Options("async-retry", workers: 2, panic: PanicPolicy.Resume with { JobRetries = 1 }));
        var attempts = 0;

        var job = pool.RunAsync(async (w, token) =>
        {
            await Task.Yield();
            return Interlocked.Increment(ref attempts) == 1 ? throw new InvalidOperationException("once") : w.Index;
        });

        await job.WaitAsync(Watchdog);
        Assert.Equal(2, attempts);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((1, 0), (stats.Completed, stats.Failed));
    }

    /// <summary>The exception a call throws before it returns its task (bad input is refused at once, not in the task).</summary>
    private static T ThrowsNow<T>(Func<object> call)
        where T : Exception
    {
        try
        {
            call();
        }
        catch (T expected)
        {
            return expected;
        }

        throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name} to be thrown at once.");
    }

    /// <summary>A worker's state that records how jobs enter and leave it.</summary>
    public sealed class Worker(int index) : IDisposable
    {
        private int _inside;

        public int Index { get; } = index;

        public int Entries { get; private set; }

        public int Overlaps { get; private set; }

        public bool Disposed { get; private set; }

        public bool DisposedWhileInside { get; private set; }

        public void Enter()
        {
            if (Interlocked.Increment(ref _inside) != 1)
            {
                Overlaps++;
            }

            Entries++;
        }

        public void Exit() => Interlocked.Decrement(ref _inside);

        public void Dispose()
        {
            DisposedWhileInside |= Volatile.Read(ref _inside) != 0;
            Disposed = true;
        }
    }
}
