namespace Actorpool.Core.Tests.Scheduling;

/// <summary>A worker's burst of background items: taken exactly once, in order, and open to idle thieves.</summary>
public sealed class BackgroundRingTests
{
    [Fact(Timeout = 30_000)]
    public async Task PushTakeAndStealHalf_UnderContention_TakeEveryItemExactlyOnceAndInOrderPerTaker()
    {
        const int items = 400_000;
        var ring = new BackgroundRing();
        var taken = new int[items];
        var boxes = Enumerable.Range(0, items).Select(i => (object)i).ToArray();
        var stop = 0;
        var outOfOrder = 0;
        var thieves = Enumerable.Range(0, 2).Select(_ => Watchdog.Run(() =>
        {
            // A thief moves half of the owner's ring into its own (empty) ring, then drains that: the items
            // it takes keep their order, and its own ring is open to the other thief meanwhile.
            var own = new BackgroundRing();
            var last = -1;
            while (Volatile.Read(ref stop) == 0)
            {
                if (ring.StealHalfInto(own) is int id)
                {
                    Interlocked.Increment(ref taken[id]);
                    outOfOrder += id < last ? 1 : 0;
                    last = id;
                    while (own.TryTake() is int next)
                    {
                        Interlocked.Increment(ref taken[next]);
                        outOfOrder += next < last ? 1 : 0;
                        last = next;
                    }
                }
            }
        })).ToArray();
        await Watchdog.Run(() =>
        {
            var next = 0;
            var last = -1;
            while (next < items)
            {
                // The owner refills only an empty ring, as a worker does, then takes some itself.
                if (!ring.LooksNonEmpty)
                {
                    for (var k = 0; k < BackgroundRing.Capacity && next < items; k++)
                    {
                        Assert.True(ring.TryPush(boxes[next]));
                        next++;
                    }
                }

                if (ring.TryTake() is int id)
                {
                    Interlocked.Increment(ref taken[id]);
                    outOfOrder += id < last ? 1 : 0;
                    last = id;
                }
            }

            while (ring.TryTake() is int id)
            {
                Interlocked.Increment(ref taken[id]);
            }
        });
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(thieves);
        Assert.All(taken, count => Assert.Equal(1, count));
        Assert.Equal(0, outOfOrder);
    }

    [Fact]
    public void TryPush_OnAFullRing_ReturnsFalse()
    {
        var ring = new BackgroundRing();
        for (var i = 0; i < BackgroundRing.Capacity; i++)
        {
            Assert.True(ring.TryPush(i));
        }

        Assert.False(ring.TryPush(-1));
        Assert.Equal(0, ring.TryTake());
        Assert.True(ring.TryPush(BackgroundRing.Capacity));
    }

    [Fact]
    public void StealHalfInto_TakesTheOlderHalfRoundedUp_AndLeavesTheRestInOrder()
    {
        var victim = new BackgroundRing();
        var thief = new BackgroundRing();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(victim.TryPush(i));
        }

        Assert.Equal(0, victim.StealHalfInto(thief)); // 3 of 5: the first is returned, two wait in the thief's ring
        Assert.Equal(1, thief.TryTake());
        Assert.Equal(2, thief.TryTake());
        Assert.Null(thief.TryTake());
        Assert.Equal(3, victim.TryTake());
        Assert.Equal(4, victim.StealHalfInto(thief));
        Assert.Null(thief.TryTake());
        Assert.Null(victim.StealHalfInto(thief));
    }

    [Fact(Timeout = 30_000)]
    public async Task ItemsHeldByAWorkerBlockedOnALongItem_RunOnAnotherWorker()
    {
        using var pool = Watchdog.Pool(2);
        using var a = new Blocker(pool);
        using var b = new Blocker(pool);
        Assert.True(a.WaitStarted() && b.WaitStarted(), "two blocking tasks did not start on the two workers");

        // Both workers are busy: the long item and the short ones wait in the shared queue together, so the
        // first worker to come free takes them in one burst and starts the long one.
        using var longItem = new Blocker(pool);
        var ran = 0;
        var shorts = Enumerable.Range(0, 10).Select(_ => pool.Spawn(() => Interlocked.Increment(ref ran))).ToList();
        a.Release();
        Assert.True(longItem.WaitStarted());
        b.Release();
        try
        {
            foreach (var h in shorts)
            {
                await h.AsTask().WaitAsync(Watchdog.Limit);
            }

            Assert.Equal(10, Volatile.Read(ref ran));
            Assert.False(longItem.Handle.IsCompleted);
        }
        finally
        {
            longItem.Release();
        }

        await Task.WhenAll(a.Handle.AsTask(), b.Handle.AsTask(), longItem.Handle.AsTask()).WaitAsync(Watchdog.Limit);
    }

    [Fact(Timeout = 60_000)]
    public async Task ItemsHeldByABlockedWorker_RunBeforeTheOtherWorkerDrainsALongQueue()
    {
        const int Fillers = 200_000;
        using var pool = Watchdog.Pool(2);
        using var a = new Blocker(pool);
        using var b = new Blocker(pool);
        Assert.True(a.WaitStarted() && b.WaitStarted(), "two blocking tasks did not start on the two workers");

        // The first worker to come free takes the long item and the ten after it in one burst and blocks in the
        // long one. The other worker then finds a long queue of newer items: the ten older ones held in the
        // blocked worker's ring must not wait until that queue is empty.
        using var longItem = new Blocker(pool);
        var fillersRun = 0L;
        var fillersRunWhenHeldRan = new long[10];
        var held = Enumerable.Range(0, 10)
            .Select(i => pool.Spawn(() => fillersRunWhenHeldRan[i] = Interlocked.Read(ref fillersRun)))
            .ToList();
        a.Release();
        Assert.True(longItem.WaitStarted());
        var filler = new Filler(() => Interlocked.Increment(ref fillersRun));
        for (var i = 0; i < Fillers; i++)
        {
            pool.UnsafeQueue(filler);
        }

        b.Release();
        try
        {
            foreach (var h in held)
            {
                await h.AsTask().WaitAsync(Watchdog.Limit);
            }

            Assert.False(longItem.Handle.IsCompleted);
        }
        finally
        {
            longItem.Release();
        }

        await Task.WhenAll(a.Handle.AsTask(), b.Handle.AsTask(), longItem.Handle.AsTask()).WaitAsync(Watchdog.Limit);
        Assert.True(fillersRunWhenHeldRan.Max() < Fillers / 2,
            $"the held items ran only after {fillersRunWhenHeldRan.Max()} of {Fillers} newer items");
    }

    private sealed class Filler(Action action) : IThreadPoolWorkItem
    {
        public void Execute() => action();
    }
}
