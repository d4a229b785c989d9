namespace Actorpool.Reliability.Tests.Scheduling;

/// <summary>
/// Systematic interleavings of the real pool's sleep/wake protocol (its Monitor-based parker is controlled by
/// Coyote): work queued while a worker is deciding to sleep must still run. A lost wake-up shows up as a
/// deadlock (the worker parked for ever, the test waiting for the item).
/// </summary>
public sealed class SleepWakeCoyoteTests
{
    [Fact(Timeout = 60_000)]
    public async Task QueueRacingAWorkerGoingToSleep_NeverLosesTheWakeUp()
    {
        var report = await Task.Run(() => Coyote.Explore(QueueTwiceAndAwait, 2_000, maxSteps: 5_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task PlantedBug_SleeperWithoutRecheck_IsFoundByCoyote()
    {
        IdleWorkers.PlantedBugSkipSleepRecheck = true;
        try
        {
            var report = await Task.Run(() => Coyote.Explore(QueueTwiceAndAwait, 1_000, maxSteps: 5_000));
            Coyote.AssertFindsBug(report, "eadlock");
        }
        finally
        {
            IdleWorkers.PlantedBugSkipSleepRecheck = false;
        }
    }

    private static async Task QueueTwiceAndAwait()
    {
        var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 1, SpinTime = TimeSpan.Zero });
        try
        {
            for (var round = 0; round < 2; round++)
            {
                var done = new Signal();
                pool.UnsafeQueue(done);
                await done.Ran.WaitAsync();
            }
        }
        finally
        {
            pool.Dispose();
        }
    }

    private sealed class Signal : IThreadPoolWorkItem
    {
        internal SemaphoreSlim Ran { get; } = new(0);

        public void Execute() => Ran.Release();
    }
}
