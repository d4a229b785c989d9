namespace Actorpool.Core.Tests.Scheduling;

/// <summary>Runs blocking test bodies on their own thread under a watchdog, so a hang fails the test.</summary>
internal static class Watchdog
{
    internal static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    internal static Task Run(Action body)
    {
        var thread = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var t = new Thread(() =>
        {
            try
            {
                body();
                thread.SetResult();
            }
            catch (Exception ex)
            {
                thread.SetException(ex);
            }
        })
        { IsBackground = true, Name = "test-external" };
        t.Start();
        return thread.Task.WaitAsync(Limit);
    }

    internal static WorkStealingPool Pool(int threads = 2) =>
        new(new WorkStealingPoolOptions { Threads = threads, ThreadNamePrefix = "test-pool" });
}
