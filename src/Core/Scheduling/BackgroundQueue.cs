using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Actorpool;

/// <summary>
/// Background work (Spawn, Scope jobs, UnsafeQueue) through the pool's shared FIFO queue: putting an item in
/// (waking a sleeper), taking items out in bursts under a try-lock token into a worker's ring, thieves moving
/// half a ring per CAS, running one item, and cancelling what is left at Dispose.
/// </summary>
internal static class BackgroundQueue
{
    // Tries for the queue token before a worker takes an item without it. A burst takes a few microseconds, so
    // the long patience covers it; after a worker went without (the holder was likely preempted), it waits
    // only briefly until it gets the token again, so a holder's lost time slice costs one wait, not one per item.
    private const int TokenPatience = 1024;
    private const int ShortTokenPatience = 16;
    private const int StallCheckEvery = 64; // background takes between two looks for stalled rings

    /// <summary>Test-only: a worker that moved items into its ring does not offer them to sleepers (a stuck-item bug).</summary>
    internal static bool PlantedBugSkipOfferHeld;

    /// <summary>Queues <paramref name="item"/> (a TaskHandle, ScopeJob or IThreadPoolWorkItem) and wakes a sleeper if any.</summary>
    internal static void Enqueue(WorkStealingPool pool, object item)
    {
        // Enqueue reserves its slot with an interlocked operation on the queue's tail (a full fence), and
        // IsEmpty counts a reserved slot as non-empty; so the reservation is visible before Sleepers is read
        // below, pairing with the fence in IdleWorkers.Sleep (announce, then recheck IsEmpty): either the sleeper
        // sees the item or we see the sleeper. No second fence is needed on this hot path.
        pool.Background.Enqueue(item);
        if (Volatile.Read(ref pool.Sleepers) != 0)
        {
            IdleWorkers.WakeOne(pool, admittedOnly: false);
        }
    }

    /// <summary>
    /// The next background item for <paramref name="self"/>: its own ring first; else, holding the queue
    /// token, a burst from the shared queue (the first item is returned, up to a ring's worth more wait in the
    /// ring); else the older half of another worker's ring. One worker at a time takes from the shared queue
    /// and thieves move half a ring per CAS, because two threads taking items one by one from one queue trade
    /// its cache lines on every item (several times slower than one thread alone on a two-core VM). FIFO with
    /// one worker; with several, an item starts at most a few rings' length of items out of order.
    /// </summary>
    internal static object? Take(WorkStealingPool pool, ThreadContext self)
    {
        var ring = self.Ring;
        if (ring.TryTake() is { } mine)
        {
            return mine;
        }

        ring.ForgetTaken();
        if (StealFromStalledRing(pool, self) is { } stalled)
        {
            return stalled;
        }

        // While the shared queue has items, wait for the token rather than steal: a burst is one trip to the
        // queue, and stealing from a ring its owner is draining trades that ring's lines instead.
        var patience = self.Book.TokenStarved ? ShortTokenPatience : TokenPatience;
        for (var tries = 0; tries < patience; tries++)
        {
            // While another worker holds the token, poll mostly the token's own line: the holder's burst writes
            // the queue's head, and reading the queue here would pull that line away on every item it takes. Every
            // 64th try still looks at the queue, so an idle worker is not kept from the rings by a holder that
            // was preempted after the queue emptied (with the short patience the loop ends sooner anyway).
            if (!pool.Token.LooksFree && (tries & 63) != 63)
            {
                Thread.SpinWait(4);
                continue;
            }

            if (pool.Background.IsEmpty)
            {
                break;
            }

            if (!pool.Token.TryAcquire())
            {
                Thread.SpinWait(4);
                continue;
            }

            self.Book.TokenStarved = false;
            try
            {
                if (pool.Background.TryDequeue(out var first))
                {
                    // The ring was empty and only its owner pushes, so Capacity pushes fit.
                    for (var i = 0; i < BackgroundRing.Capacity && pool.Background.TryDequeue(out var more); i++)
                    {
                        if (!ring.TryPush(more))
                        {
                            Debug.Fail("a burst overflowed an empty background ring");
                            pool.Background.Enqueue(more); // never drop an item, even if that invariant broke
                            break;
                        }
                    }

                    OfferHeld(pool, ring);
                    return first;
                }
            }
            finally
            {
                pool.Token.Release();
            }
        }

        // The token's holder may have been preempted mid-burst: the queue itself is safe for any number of
        // consumers, so take one item without the token rather than wait for the holder's next time slice.
        if (pool.Background.TryDequeue(out var single))
        {
            self.Book.TokenStarved = true;
            return single;
        }

        var n = pool.Workers.Length;
        if (n > 1)
        {
            var start = (int)(self.NextRandom() % (uint)n);
            for (var k = 0; k < n; k++)
            {
                var victim = pool.Workers[(start + k) % n];
                if (victim != self && victim.Ring.StealHalfInto(ring) is { } stolen)
                {
                    OfferHeld(pool, ring);
                    return stolen;
                }
            }
        }

        return null;
    }

    /// <summary>Runs one background item on <paramref name="runner"/>; a raw work item's exception goes to the pool's handler.</summary>
    internal static void Run(WorkStealingPool pool, object item, ThreadContext runner)
    {
        runner.Book.Taken++; // owner-written progress count (see StealFromStalledRing)
        switch (item)
        {
            case TaskHandle handle:
                handle.RunFromQueue(runner);
                break;
            case ScopeJob job:
                job.TryRun();
                break;
            default:
                try
                {
                    ((IThreadPoolWorkItem)item).Execute();
                }
                catch (Exception ex)
                {
                    pool.ReportUnhandled(ex);
                }

                break;
        }
    }

    /// <summary>Empties every ring and the shared queue: task handles complete as cancelled, the rest is dropped.</summary>
    internal static void CancelQueued(WorkStealingPool pool)
    {
        foreach (var worker in pool.Workers)
        {
            while (worker.Ring.TryTake() is { } held)
            {
                Cancel(held);
            }
        }

        while (pool.Background.TryDequeue(out var item))
        {
            Cancel(item);
        }
    }

    private static void Cancel(object item)
    {
        switch (item)
        {
            case TaskHandle handle:
                handle.Cancel();
                break;
            // A ScopeJob is also in its scope's own queue; the scope's owner runs it, so drop it here.
        }
    }

    /// <summary>
    /// After items moved into <paramref name="ring"/> (a burst, or half of another ring): while they moved they
    /// were in neither the queue nor a ring, so a worker checking for work just then may have gone to sleep.
    /// Fence, then wake a sleeper if the ring holds items to steal (pairs with the fence in IdleWorkers.Sleep:
    /// either its recheck sees the ring or we see the sleeper). Otherwise an item could wait behind a long one here.
    /// </summary>
    private static void OfferHeld(WorkStealingPool pool, BackgroundRing ring)
    {
        Interlocked.MemoryBarrier();
        if (!PlantedBugSkipOfferHeld && Volatile.Read(ref pool.Sleepers) != 0 && ring.LooksNonEmpty)
        {
            IdleWorkers.WakeOne(pool, admittedOnly: false);
        }
    }

    /// <summary>
    /// Every <see cref="StallCheckEvery"/> takes: steals half of a ring whose owner started no background item
    /// since the last look (it runs a long item or blocks) or that the scale gate holds back. Ring items are
    /// older than anything in the shared queue; without this they would wait for as long as producers keep the
    /// queue non-empty, since idle workers steal only when the queue is empty.
    /// </summary>
    private static object? StealFromStalledRing(WorkStealingPool pool, ThreadContext self)
    {
        if (--self.Book.StallCheckCountdown > 0 || pool.Workers.Length < 2)
        {
            return null;
        }

        self.Book.StallCheckCountdown = StallCheckEvery;
        var seen = self.SeenTaken ??= new long[pool.Workers.Length];
        foreach (var victim in pool.Workers)
        {
            if (victim == self)
            {
                continue;
            }

            var taken = Volatile.Read(ref victim.Book.Taken);
            var stalled = taken == seen[victim.Index] || !pool.Gate.Allows(victim.Index);
            seen[victim.Index] = taken;
            if (stalled && victim.Ring.LooksNonEmpty && victim.Ring.StealHalfInto(self.Ring) is { } item)
            {
                OfferHeld(pool, self.Ring);
                return item;
            }
        }

        return null;
    }

    /// <summary>A try-lock alone on its cache lines: the worker holding it takes a burst from the shared queue.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * 128)]
    internal struct QueueToken
    {
        [FieldOffset(128)]
        private int _held;

        /// <summary>A plain read of the token's own line: false while a worker holds it.</summary>
        internal readonly bool LooksFree => Volatile.Read(in _held) == 0;

        internal bool TryAcquire() => Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0;

        internal void Release() => Volatile.Write(ref _held, 0);
    }
}
