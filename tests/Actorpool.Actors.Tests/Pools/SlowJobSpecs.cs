using System.Collections.Concurrent;
using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>
/// Slow jobs spread over the workers with the default prefetch (the pool measures its jobs and hands a worker about
/// 1 ms of work ahead), and a pool on threads of its own runs as many blocking jobs at once as it has workers.
/// </summary>
public sealed class SlowJobSpecs : PoolSpec
{
    [Fact(Timeout = 60_000)]
    public async Task EightBlockingJobs_OnFourWorkersOfTheirOwnThreads_RunFourAtATime_TwoPerWorker()
    {
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "slow-own-threads", Workers = 4, OwnThreads = true, Init = i => i });
        await pool.Started.WaitAsync(Watchdog);
        var perWorker = new ConcurrentDictionary<int, int>();
        var threads = new ConcurrentDictionary<int, byte>();
        var inside = 0;
        var most = 0;

        var jobs = Enumerable.Range(0, 8).Select(_ => pool.RunAsync(worker =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            threads.TryAdd(Environment.CurrentManagedThreadId, 0);
            Thread.Sleep(150); // blocks its thread, as a synchronous driver call would
            Interlocked.Decrement(ref inside);
            perWorker.AddOrUpdate(worker, 1, (_, n) => n + 1);
        })).ToArray();
        await Task.WhenAll(jobs).WaitAsync(Watchdog);

        Assert.Equal(4, most);                                  // all four workers ran at once (on 2 cores too)
        Assert.Equal(4, threads.Count);                         // each on a thread of its own
        Assert.All(perWorker.Values, n => Assert.Equal(2, n));  // the default prefetch did not pile them on one worker
        Assert.Equal(4, perWorker.Count);
        await AssertBalancedAsync(pool);
    }

    [Fact]
    public void OwnThreads_WithADispatcher_IsRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => Sys.SpawnPool(new PoolOptions<int>
        {
            Name = "own-and-dispatcher",
            Init = i => i,
            OwnThreads = true,
            Dispatcher = "akka.actor.default-dispatcher",
        }));

        Assert.Equal(nameof(PoolOptions<int>.OwnThreads), refused.ParamName);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
