using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Scheduling;

/// <summary>
/// Systematic interleavings of a worker's background ring (owner pushes and takes, thieves take or move half
/// into their own ring) and of the pool around it: every item is taken exactly once, and an item a worker
/// holds behind a long one still runs on another worker.
/// </summary>
public sealed class BackgroundRingCoyoteTests
{
    [Fact(Timeout = 60_000)]
    public async Task OwnerTakingWhileThievesStealHalves_TakesEachItemExactlyOnce()
    {
        var report = await Task.Run(() => Coyote.Explore(OwnerAndThieves, 2_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task ShortItemsBehindALongOneInABurst_RunOnTheOtherWorker()
    {
        var report = await Task.Run(() => Coyote.Explore(LongItemWaitingForShortOnes, 2_000, maxSteps: 10_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task PlantedBug_BurstNotOfferedToSleepers_IsFoundByCoyote()
    {
        BackgroundQueue.PlantedBugSkipOfferHeld = true;
        try
        {
            var report = await Task.Run(() => Coyote.Explore(LongItemWaitingForShortOnes, 2_000, maxSteps: 10_000));
            Coyote.AssertFindsBug(report, "eadlock");
        }
        finally
        {
            BackgroundQueue.PlantedBugSkipOfferHeld = false;
        }
    }

    private static async Task OwnerAndThieves()
    {
        const int Items = 4;
        var ring = new BackgroundRing();
        var taken = new int[Items];
        void Take(object? item)
        {
            if (item is int id)
            {
                Interlocked.Increment(ref taken[id]);
            }
        }

        var owner = Task.Run(() =>
        {
            for (var i = 0; i < Items; i++)
            {
                Specification.Assert(ring.TryPush(i), "Push into a non-full ring failed.");
            }

            Take(ring.TryTake());
        });
        var thieves = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var own = new BackgroundRing();
            Take(ring.StealHalfInto(own));
            while (own.TryTake() is { } item)
            {
                Take(item);
            }

            Take(ring.TryTake());
        })).ToList();
        await owner;
        foreach (var thief in thieves)
        {
            await thief;
        }

        while (ring.TryTake() is { } left)
        {
            Take(left);
        }

        for (var i = 0; i < Items; i++)
        {
            Specification.Assert(taken[i] == 1, $"Item {i} was taken {taken[i]} times.");
        }
    }

    /// <summary>
    /// A long item that waits until two short ones queued after it have run: if a worker took all three in one
    /// burst and the other worker slept through it, the shorts would wait behind the long item for ever.
    /// </summary>
    private static async Task LongItemWaitingForShortOnes()
    {
        var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 2, SpinTime = TimeSpan.Zero });
        try
        {
            var gate = new ShortsGate(2);
            pool.UnsafeQueue(new LongItem(gate));
            pool.UnsafeQueue(new ShortItem(gate));
            pool.UnsafeQueue(new ShortItem(gate));
            await gate.LongDone.WaitAsync();
        }
        finally
        {
            pool.Dispose();
        }
    }

    private sealed class ShortsGate(int shorts)
    {
        private int _ran;

        internal SemaphoreSlim LongDone { get; } = new(0);

        internal void ShortRan()
        {
            lock (this)
            {
                _ran++;
                System.Threading.Monitor.PulseAll(this);
            }
        }

        internal void AwaitShorts()
        {
            lock (this)
            {
                while (_ran < shorts)
                {
                    System.Threading.Monitor.Wait(this);
                }
            }

            LongDone.Release();
        }
    }

    private sealed class LongItem(ShortsGate gate) : IThreadPoolWorkItem
    {
        public void Execute() => gate.AwaitShorts();
    }

    private sealed class ShortItem(ShortsGate gate) : IThreadPoolWorkItem
    {
        public void Execute() => gate.ShortRan();
    }
}
