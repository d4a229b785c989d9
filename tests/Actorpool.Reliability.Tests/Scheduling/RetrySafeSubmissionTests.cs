namespace Actorpool.Reliability.Tests.Scheduling;

/// <summary>
/// Retry-safe submission: <c>Dispose</c> races <c>Spawn</c> (of a delegate and of a struct job), <c>Join</c> and <c>For</c> from many threads. A call
/// either threw before accepting its work (and none of it ran) or accepted it (and every body ran at most once; a
/// Join or For that returned ran all of it exactly once). A caller that retries after an exception never runs work twice.
/// </summary>
public sealed class RetrySafeSubmissionTests
{
    private const int Rounds = 200;
    private const int Callers = 4;

    [Fact(Timeout = 120_000)]
    public async Task SubmissionsRacingDispose_ThrowOnlyBeforeAccepting_AndRunEachBodyAtMostOnce()
    {
        var accepted = 0;
        var refused = 0;
        await Task.Run(() =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 2 });
                using var go = new ManualResetEventSlim();
                var threads = new Thread[Callers];
                var results = new (bool Accepted, int Expected, int[] Runs)[Callers];
                for (var t = 0; t < Callers; t++)
                {
                    var caller = t;
                    threads[t] = new Thread(() =>
                    {
                        go.Wait();
                        results[caller] = Submit(pool, caller % 4);
                    });
                    threads[t].Start();
                }

                go.Set();
                Thread.SpinWait(round % 50 * 20); // vary where Dispose lands among the submissions
                pool.Dispose();
                foreach (var thread in threads)
                {
                    Assert.True(thread.Join(TimeSpan.FromSeconds(20)), "a submission hung after Dispose");
                }

                foreach (var (wasAccepted, expected, runs) in results)
                {
                    Assert.All(runs, r => Assert.InRange(r, 0, 1)); // at most once, always
                    if (wasAccepted)
                    {
                        accepted++;
                        Assert.True(expected < 0 || runs.Sum() == expected, $"a call that returned ran {runs.Sum()} of {expected} bodies");
                    }
                    else
                    {
                        refused++;
                        Assert.Equal(0, runs.Sum()); // it threw: nothing of it may have run
                    }
                }
            }
        }).WaitAsync(TimeSpan.FromSeconds(110));

        Assert.Equal(Rounds * Callers, accepted + refused);
        Assert.True(accepted > 0, "no submission was ever accepted: the race was not exercised");
    }

    /// <summary>One submission of kind <paramref name="kind"/>; Expected is how many bodies must have run if it returned (-1: a handle, which may be cancelled).</summary>
    private static (bool Accepted, int Expected, int[] Runs) Submit(WorkStealingPool pool, int kind)
    {
        var runs = new int[8];
        try
        {
            switch (kind)
            {
                case 0:
                case 3:
                    TaskHandle handle = kind == 0 ? pool.Spawn(() => Interlocked.Increment(ref runs[0])) : pool.Spawn(new CountJob(runs));
                    var task = handle.AsTask();
                    try
                    {
                        task.Wait(TimeSpan.FromSeconds(20));
                    }
                    catch (AggregateException)
                    {
                        // cancelled by Dispose before it started: allowed, it did not run
                    }

                    Assert.True(task.IsCompleted, "a spawned handle never completed");
                    return (true, -1, runs);
                case 1:
                    pool.Join(() => Interlocked.Increment(ref runs[0]), () => Interlocked.Increment(ref runs[1]));
                    return (true, 2, runs);
                default:
                    pool.For(0, runs.Length, i => Interlocked.Increment(ref runs[i]));
                    return (true, runs.Length, runs);
            }
        }
        catch (ObjectDisposedException)
        {
            return (false, 0, runs);
        }
    }

    private readonly struct CountJob(int[] runs) : IJob
    {
        public void Run() => Interlocked.Increment(ref runs[0]);
    }
}
