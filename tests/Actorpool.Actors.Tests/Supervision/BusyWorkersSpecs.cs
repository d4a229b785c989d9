using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Tests.Supervision;

/// <summary>
/// A pool whose workers occupy every thread of the work-stealing dispatcher with long jobs still answers its
/// supervisor's messages: a stop deadline fires on time, stats are answered, queued jobs are cancelled.
/// </summary>
public sealed class BusyWorkersSpecs : PoolSpec
{
    [Fact(Timeout = 60_000)]
    public async Task StopDeadline_WhileEveryDispatcherThreadRunsALongJob_IsHonoured()
    {
        var threads = WorkStealingPool.Default.ThreadCount;
        using var release = new ManualResetEventSlim();
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pool = Sys.SpawnPool(new PoolOptions<int>
        {
            Name = "busy",
            Workers = threads,
            Prefetch = 1,
            Init = i => i,
        });
        try
        {
            var tasks = Enumerable.Range(0, threads + 3).Select(i => pool.RunAsync(_ =>
            {
                if (Interlocked.Increment(ref started) == threads)
                {
                    allStarted.TrySetResult();
                }

                release.Wait(TimeSpan.FromSeconds(50)); // held until the test has seen the stop report
                return i;
            })).ToList();
            await allStarted.Task.WaitAsync(Watchdog);

            var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);
            var report = await pool.StopAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(Watchdog);

            Assert.Equal(threads, stats.Busy);
            Assert.True(report.DeadlineReached);
            Assert.Equal(threads + 3, report.Cancelled); // the queued ones and, past the deadline, the running ones
            release.Set();
            foreach (var task in tasks)
            {
                await Assert.ThrowsAnyAsync<Exception>(() => task.WaitAsync(Watchdog));
            }

            await pool.Completion.WaitAsync(Watchdog);
            await AssertBalancedAsync(pool);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task EveryLaterRequest_WhileEveryDispatcherThreadIsBusy_IsAnsweredToo()
    {
        // The guard watches each scheduling of the supervisor's mailbox, not only the first: 200 requests one after
        // another, each needing a new mailbox run, are all answered while no pool thread is free; the counts seen
        // stay exact (a run executed twice at once, or lost, would show here or hang).
        var threads = WorkStealingPool.Default.ThreadCount;
        using var release = new ManualResetEventSlim();
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "busy-many", Workers = threads, Prefetch = 1, Init = i => i });
        try
        {
            var running = Enumerable.Range(0, threads).Select(i => pool.RunAsync(_ =>
            {
                if (Interlocked.Increment(ref started) == threads)
                {
                    allStarted.TrySetResult();
                }

                return release.Wait(TimeSpan.FromSeconds(50)) ? i : -1;
            })).ToList();
            await allStarted.Task.WaitAsync(Watchdog);

            var queued = new List<Task<int>>();
            for (var request = 0; request < 200; request++)
            {
                if (request % 20 == 0)
                {
                    var n = request;
                    queued.Add(pool.RunAsync(_ => n)); // a job that must wait: it changes the backlog the stats report
                }

                var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);
                Assert.Equal((threads, queued.Count), (stats.Busy, stats.Backlog));
            }

            release.Set();
            Assert.Equal(Enumerable.Range(0, threads), await Task.WhenAll(running).WaitAsync(Watchdog));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 20), await Task.WhenAll(queued).WaitAsync(Watchdog));
            await pool.DrainAsync().WaitAsync(Watchdog);
            var final = await AssertBalancedAsync(pool);
            Assert.Equal(threads + 10, final.Completed);
        }
        finally
        {
            release.Set();
        }
    }
}
