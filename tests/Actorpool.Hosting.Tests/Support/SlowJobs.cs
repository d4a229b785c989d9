using Actorpool.Hosting.Pools;

namespace Actorpool.Hosting.Tests.Support;

/// <summary>Jobs that are all running (none queued) when the caller goes on, and each take a while to finish.</summary>
internal static class SlowJobs
{
    /// <summary>Submits <paramref name="count"/> jobs of <paramref name="each"/> (job i returns i) and returns once every one is running.</summary>
    public static async Task<List<Task<int>>> StartAsync(IPool<int> pool, int count, TimeSpan each)
    {
        var running = 0;
        var allRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => pool.RunAsync<int>(async (_, _) =>
        {
            if (Interlocked.Increment(ref running) == count)
            {
                allRunning.TrySetResult();
            }

            await Task.Delay(each, CancellationToken.None); // deaf to cancellation: only a drain lets it finish
            return i;
        })).ToList();
        await allRunning.Task.WaitAsync(TestHost.Watchdog);
        return tasks;
    }
}
