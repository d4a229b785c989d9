using System.Collections.Concurrent;

namespace Actorpool.Core.Tests.Scheduling;

/// <summary>
/// An external thread running its own Join takes the place of the pool's highest-index worker, so the threads
/// on the Join never outnumber the cores; that worker still runs background work, and steals again afterwards.
/// </summary>
public sealed class CallerTakesAWorkersPlaceTests
{
    [Fact(Timeout = 30_000)]
    public async Task ExternalLoop_OnAPoolCoveringTheCores_NeverRunsAUnitOnAWorkerWhosePlaceTheCallerTook()
    {
        var cores = Environment.ProcessorCount;
        using var pool = Watchdog.Pool(cores + 1); // one more worker than cores: the caller displaces two
        var runners = new ConcurrentDictionary<string, int>();

        // Wait until every worker sleeps: a worker already spinning when the caller arrives may steal before it
        // sees the caller's place taken (the check is a hint, not a lock).
        var deadline = DateTime.UtcNow + Watchdog.Limit;
        while (pool.SleepingWorkers < cores + 1 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        Assert.Equal(cores + 1, pool.SleepingWorkers);
        await Watchdog.Run(() =>
        {
            for (var round = 0; round < 5; round++)
            {
                pool.For(0, 200, _ =>
                {
                    runners.AddOrUpdate(Thread.CurrentThread.Name!, 1, (_, n) => n + 1);
                    Thread.SpinWait(2_000);
                }, Split.PerItem);
            }
        });

        Assert.Equal(1_000, runners.Values.Sum());
        var allowed = Enumerable.Range(0, cores - 1).Select(i => $"test-pool-{i}").Append("test-external").ToHashSet();
        Assert.All(runners.Keys, name => Assert.Contains(name, allowed));
    }

    [Fact(Timeout = 30_000)]
    public async Task ExternalJoin_WhileItsOtherHalfBlocksTheOnlyStealingWorker_BackgroundWorkStillRuns()
    {
        using var pool = Watchdog.Pool(Environment.ProcessorCount);
        using var done = new ManualResetEventSlim();
        string? ranOn = null;
        await Watchdog.Run(() =>
        {
            pool.Join(
                () =>
                {
                    // The right half (stolen, or later run here) waits for the same task: if no worker ran
                    // background work while the caller holds a place, this wait would time out.
                    pool.Spawn(() =>
                    {
                        ranOn = Thread.CurrentThread.Name;
                        done.Set();
                    });
                    Assert.True(done.Wait(TimeSpan.FromSeconds(10)), "a spawned task did not run during an external Join");
                },
                () => Assert.True(done.Wait(TimeSpan.FromSeconds(10)), "a spawned task did not run during an external Join"));
        });

        Assert.StartsWith("test-pool-", ranOn);
    }

    [Fact(Timeout = 30_000)]
    public async Task ExternalJoin_HoldsAPlaceOnlyWhileItRuns_EvenWhenItThrows()
    {
        using var pool = Watchdog.Pool(Environment.ProcessorCount);
        var during = new List<int>();
        await Watchdog.Run(() =>
        {
            pool.Join(() => during.Add(pool.ActiveExternalJoins), () => { });
            Assert.Throws<InvalidOperationException>(() => pool.Join(
                () =>
                {
                    during.Add(pool.ActiveExternalJoins);
                    throw new InvalidOperationException("left");
                },
                () => { }));
        });

        Assert.Equal([1, 1], during);
        Assert.Equal(0, pool.ActiveExternalJoins);
    }

    [Fact(Timeout = 30_000)]
    public async Task ByThreads_CutsOneUnitPerThreadThatRunsTheLoop()
    {
        var cores = Environment.ProcessorCount;
        using var pool = Watchdog.Pool(cores);
        var externalUnits = 0;
        var workerUnits = 0;
        await Watchdog.Run(() =>
        {
            // Outside: the caller plus the workers not displaced by it (cores - 1 of them) = cores units.
            pool.ForRange(0, 10_000, (_, _) => Interlocked.Increment(ref externalUnits));

            // On a worker: the workers themselves.
            Assert.True(pool.Spawn(() => pool.ForRange(0, 10_000, (_, _) => Interlocked.Increment(ref workerUnits)))
                .AsTask().Wait(TimeSpan.FromSeconds(10)));
        });

        Assert.Equal(cores, externalUnits);
        Assert.Equal(cores, workerUnits);
    }

    [MultiCoreFact("no core is left free by a one-worker pool on a one-core machine", Timeout = 30_000)]
    public async Task ByThreads_OnAPoolSmallerThanTheMachine_CountsTheCallerAsAnExtraThread()
    {
        using var pool = Watchdog.Pool(1);
        var units = 0;
        await Watchdog.Run(() => pool.ForRange(0, 10_000, (_, _) => Interlocked.Increment(ref units)));
        Assert.Equal(2, units);
    }
}
