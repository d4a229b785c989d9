using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Core.Tests.Scheduling;

public sealed class ScaleAndSleepTests
{
    [Fact(Timeout = 30_000)]
    public async Task Join_WhenScaleIsZero_CompletesWithEveryLeafOnTheCaller()
    {
        var clock = new FakeTimeProvider();
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 2, Scale = () => 0, TimeProvider = clock });
        var threads = new HashSet<int>();
        await Watchdog.Run(() =>
        {
            void Tree(int depth)
            {
                if (depth == 0)
                {
                    lock (threads)
                    {
                        threads.Add(Environment.CurrentManagedThreadId);
                    }

                    return;
                }

                pool.Join(() => Tree(depth - 1), () => Tree(depth - 1));
            }

            Tree(12);
        });
        Assert.Single(threads); // no gated worker stole anything
    }

    [Fact(Timeout = 30_000)]
    public async Task Spawn_WhileScaleIsZero_RunsOnceTheScaleRises()
    {
        var clock = new FakeTimeProvider();
        var scale = 0;
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions
        {
            Threads = 2,
            Scale = () => Volatile.Read(ref scale),
            TimeProvider = clock,
        });
        var handle = pool.Spawn(() => Thread.CurrentThread.Name);
        Volatile.Write(ref scale, 1);
        clock.Advance(TimeSpan.FromMilliseconds(1)); // the cached answer expires
        var name = await handle.AsTask().WaitAsync(Watchdog.Limit);
        Assert.Equal("actorpool-worker-0", name); // only the lowest-index worker is admitted
    }

    [Fact(Timeout = 30_000)]
    public async Task Work_WithScaleChangingAtRandom_RunsEveryJoinAndSpawnExactlyOnce()
    {
        var scale = 2;
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions
        {
            Threads = 3,
            Scale = () => Volatile.Read(ref scale),
            ScaleCachePeriod = TimeSpan.FromMicroseconds(2),
        });
        using var stop = new CancellationTokenSource();
        var changer = new Thread(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                Volatile.Write(ref scale, random.Next(0, 4));
                Thread.SpinWait(random.Next(100, 20_000));
            }
        })
        { IsBackground = true };
        changer.Start();
        var spawned = new int[20_000];
        long leaves = 0;
        var awaited = new List<Task>();
        await Watchdog.Run(() =>
        {
            var joined = new List<TaskHandle>();
            for (var i = 0; i < spawned.Length; i++)
            {
                var index = i;
                var handle = pool.Spawn(() => Interlocked.Increment(ref spawned[index]));
                if (i % 2 == 0)
                {
                    joined.Add(handle); // may run inline on this thread
                }
                else
                {
                    awaited.Add(handle.AsTask()); // only a worker can run these
                }

                if (i % 2_000 == 0)
                {
                    Assert.Equal(2584, Fib.Compute(pool, 18, ref leaves));
                }
            }

            foreach (var h in joined)
            {
                h.Join();
            }
        });
        stop.Cancel();
        changer.Join();
        Volatile.Write(ref scale, 3); // no further push: sleeping workers must notice the rise by themselves
        await Task.WhenAll(awaited).WaitAsync(Watchdog.Limit);
        Assert.All(spawned, s => Assert.Equal(1, s));
        Assert.Equal(10 * 4181, leaves);
    }

    [Fact(Timeout = 30_000)]
    public async Task IdleWorkers_FallAsleep_AndEverySpawnWakesOne()
    {
        using var pool = Watchdog.Pool(2);
        await Watchdog.Run(() =>
        {
            for (var round = 0; round < 100; round++)
            {
                WaitUntil(() => pool.SleepingWorkers == 2);
                var handle = pool.Spawn(() => round);
                Assert.Equal(round, handle.AsTask().Result); // never joined inline: a worker must wake for it
            }
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task IdleWorkers_LeaveACoreFree_OnlyCoresMinusOneSpinPastSpinTime()
    {
        // More workers than cores, every adaptive window far longer than the test: without the limit every
        // worker would still be spinning at the end; with it, all but cores - 1 stop after SpinTime (1 ms).
        var threads = Environment.ProcessorCount + 1;
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions
        {
            Threads = threads,
            SpinTime = TimeSpan.FromMilliseconds(1),
            MaxSpinTime = TimeSpan.FromMinutes(1),
        });
        Assert.Equal(Environment.ProcessorCount - 1, pool.MaxLongSpinners);
        await Watchdog.Run(() => WaitUntil(() => pool.SleepingWorkers == threads));
        pool.SetSpinWindows(TimeSpan.FromMinutes(1));

        // Wake every worker: each blocks until all have started, then they all go idle at about the same time.
        using var allStarted = new CountdownEvent(threads);
        var handles = Enumerable.Range(0, threads).Select(_ => pool.Spawn(() =>
        {
            allStarted.Signal();
            allStarted.Wait(Watchdog.Limit);
        })).ToList();
        await Task.WhenAll(handles.Select(h => h.AsTask())).WaitAsync(Watchdog.Limit);
        await Watchdog.Run(() =>
        {
            WaitUntil(() => pool.SleepingWorkers == threads - pool.MaxLongSpinners);
            for (var i = 0; i < 100; i++)
            {
                // Steady for the rest of the minute: cores - 1 keep spinning, the others sleep.
                Assert.Equal(pool.MaxLongSpinners, pool.SpinningWorkers);
                Assert.Equal(threads - pool.MaxLongSpinners, pool.SleepingWorkers);
                Thread.Sleep(1);
            }
        });

        // The sleepers still wake for work.
        var ran = 0;
        var more = Enumerable.Range(0, 4 * threads).Select(_ => pool.Spawn(() => Interlocked.Increment(ref ran))).ToList();
        await Task.WhenAll(more.Select(h => h.AsTask())).WaitAsync(Watchdog.Limit);
        Assert.Equal(4 * threads, ran);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnsafeQueue_FromManyThreadsAgainstSleepingWorkers_LosesNoWakeUp()
    {
        using var pool = Watchdog.Pool(2);
        var item = new Counter();
        var producers = Enumerable.Range(0, 3).Select(_ => Watchdog.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                pool.UnsafeQueue(item);
                if (i % 100 == 0)
                {
                    Thread.Yield();
                }
            }
        }));
        await Task.WhenAll(producers);
        await Watchdog.Run(() => WaitUntil(() => Volatile.Read(ref item.Runs) == 6_000));
        Assert.Equal(6_000, item.Runs);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var spinner = default(SpinWait);
        while (!condition())
        {
            spinner.SpinOnce(); // yields and sleeps(1) as it backs off; the watchdog bounds it
        }
    }

    private sealed class Counter : IThreadPoolWorkItem
    {
        public int Runs;

        public void Execute() => Interlocked.Increment(ref Runs);
    }
}
