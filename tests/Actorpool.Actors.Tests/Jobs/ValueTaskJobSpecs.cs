using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Jobs;

/// <summary>
/// <c>RunValueAsync</c>: the Task facade's outcomes through a value task whose source is the job itself, at one
/// allocation per job.
/// </summary>
[Collection(ProcessWideListeners.Name)]
public sealed class ValueTaskJobSpecs : PoolSpec
{
    private static PoolOptions<int> Options(string name, int workers = 2, int backlog = 1024) => new()
    {
        Name = name,
        Workers = workers,
        Backlog = backlog,
        Init = i => i,
        Panic = PanicPolicy.Resume,
    };

    [Fact(Timeout = 30_000)]
    public async Task RunValueAsync_GivesEachOutcomeOnce_AsRunAsyncDoes()
    {
        var pool = Sys.SpawnPool(Options("value-outcomes"));

        var results = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            var n = i;
            results.Add(await pool.RunValueAsync(_ => n * 2).AsTask().WaitAsync(Watchdog));
        }

        var async = await pool.RunValueAsync(async (_, token) =>
        {
            await Task.Delay(1, token);
            return 7;
        }).AsTask().WaitAsync(Watchdog);
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunValueAsync<int>(int (_) => throw new InvalidOperationException("boom")).AsTask().WaitAsync(Watchdog));
        var timedOut = await Assert.ThrowsAsync<JobCancelledException>(() => pool.RunValueAsync(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, timeout: TimeSpan.FromMilliseconds(50)).AsTask().WaitAsync(Watchdog));
        using var caller = new CancellationTokenSource();
        var cancelledWhileRunning = pool.RunValueAsync(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, caller.Token).AsTask();
        await Task.Delay(20);
        await caller.CancelAsync();
        var alreadyCancelled = pool.RunValueAsync(_ => 1, caller.Token);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), results);
        Assert.Equal(7, async);
        Assert.Equal("boom", failed.Message);
        Assert.IsType<TimeoutException>(timedOut.InnerException);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledWhileRunning.WaitAsync(Watchdog));
        Assert.True(alreadyCancelled.IsCanceled);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((104L, 101L, 1L, 2L), (stats.Submitted, stats.Completed, stats.Failed, stats.Cancelled));
    }

    [Fact(Timeout = 30_000)]
    public async Task RunValueAsync_OnAStoppingPool_IsRejected_AndBadInputIsNamed()
    {
        var pool = Sys.SpawnPool(Options("value-rejected"));
        await pool.RunValueAsync(_ => 0).AsTask().WaitAsync(Watchdog);

        Assert.Equal("job", Assert.Throws<ArgumentNullException>(() => pool.RunValueAsync((Func<int, int>)null!)).ParamName);
        Assert.Equal("job", Assert.Throws<ArgumentNullException>(() => pool.RunValueAsync((Func<int, CancellationToken, ValueTask<int>>)null!)).ParamName);
        Assert.Equal("job", Assert.Throws<ArgumentException>(() => pool.RunValueAsync(_ => Task.FromResult(1))).ParamName);
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => pool.RunValueAsync(_ => 1, timeout: TimeSpan.Zero)).ParamName);

        await pool.DrainAsync().WaitAsync(Watchdog);
        var refused = pool.RunValueAsync(_ => 1);

        var rejected = await Assert.ThrowsAsync<JobRejectedException>(() => refused.AsTask().WaitAsync(Watchdog));
        Assert.Contains("value-rejected", rejected.Message, StringComparison.Ordinal);
        var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);
        Assert.Equal((2L, 1L, 1L), (stats.Submitted, stats.Completed, stats.Rejected));
    }

    [Fact(Timeout = 60_000)]
    public async Task RunValueAsync_AllocatesOneJobObjectPerJob_OnTheCallersThread()
    {
        const int Jobs = 2_000;
        var pool = Sys.SpawnPool(Options("value-alloc", backlog: 4 * Jobs));
        await WarmUpAsync(pool);
        Func<int, int> work = static s => s;

        // What one job object of this form costs, made directly (the same type RunValueAsync makes).
        var counters = new Actorpool.Actors.Metrics.PoolCounters("value-alloc-probe");
        var jobBytes = BytesPerCall(Jobs, () => _ = new ValueJob<int, int>(1, work, counters, JobLimits.None, null));

        // Chunks small enough for the workers to keep up, so the pool's queues reuse their storage: what remains is per job.
        const int Chunk = 50;
        var measured = 0L;
        var pending = new ValueTask<int>[Chunk];
        for (var sent = 0; sent < Jobs; sent += Chunk)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Chunk; i++)
            {
                pending[i] = pool.RunValueAsync(work);
            }

            measured += GC.GetAllocatedBytesForCurrentThread() - before;
            foreach (var job in pending)
            {
                await job.AsTask().WaitAsync(Watchdog); // (AsTask here, outside the measurement)
            }
        }

        var bytes = measured / (double)Jobs;
        Assert.True(bytes >= jobBytes - 1 && bytes <= jobBytes + 4, $"{bytes} bytes per call, one job is {jobBytes}");
        await AssertBalancedAsync(pool);
    }

    private static double BytesPerCall(int calls, Action call) => BytesPerCall(calls, _ => call());

    private static double BytesPerCall(int calls, Action<int> call)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            call(i);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }
}
