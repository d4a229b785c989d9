using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Actorpool;

// Background work (Spawn, UnsafeQueue): bursts from the shared FIFO queue under a try-lock token into a worker's
// ring, and thieves moving half a ring per CAS.
public sealed partial class WorkStealingPool
{
    // Tries for the queue token before a worker takes an item without it. A burst takes a few microseconds, so
    // the long patience covers it; after a worker went without (the holder was likely preempted), it waits
    // only briefly until it gets the token again, so a holder's lost time slice costs one wait, not one per item.
    private const int TokenPatience = 1024;
    private const int ShortTokenPatience = 16;
    private const int StallCheckEvery = 64; // background takes between two looks for stalled rings

    /// <summary>Test-only: a worker that moved items into its ring does not offer them to sleepers (a stuck-item bug).</summary>
    internal static bool PlantedBugSkipOfferHeld;

    /// <summary>
    /// The next background item for <paramref name="self"/>: its own ring first; else, holding the queue
    /// token, a burst from the shared queue (the first item is returned, up to a ring's worth more wait in the
    /// ring); else the older half of another worker's ring. One worker at a time takes from the shared queue
    /// and thieves move half a ring per CAS, because two threads taking items one by one from one queue trade
    /// its cache lines on every item (several times slower than one thread alone on a two-core VM). FIFO with
    /// one worker; with several, an item starts at most a few rings' length of items out of order.
    /// </summary>
    private object? TakeBackground(ThreadContext self)
    {
        var ring = self.Ring;
        if (ring.TryTake() is { } mine)
        {
            return mine;
        }

        ring.ForgetTaken();
        if (StealFromStalledRing(self) is { } stalled)
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
            if (!_token.LooksFree && (tries & 63) != 63)
            {
                Thread.SpinWait(4);
                continue;
            }

            if (_background.IsEmpty)
            {
                break;
            }

            if (!_token.TryAcquire())
            {
                Thread.SpinWait(4);
                continue;
            }

            self.Book.TokenStarved = false;
            try
            {
                if (_background.TryDequeue(out var first))
                {
                    // The ring was empty and only its owner pushes, so Capacity pushes fit.
                    for (var i = 0; i < BackgroundRing.Capacity && _background.TryDequeue(out var more); i++)
                    {
                        if (!ring.TryPush(more))
                        {
                            Debug.Fail("a burst overflowed an empty background ring");
                            _background.Enqueue(more); // never drop an item, even if that invariant broke
                            break;
                        }
                    }

                    OfferHeld(ring);
                    return first;
                }
            }
            finally
            {
                _token.Release();
            }
        }

        // The token's holder may have been preempted mid-burst: the queue itself is safe for any number of
        // consumers, so take one item without the token rather than wait for the holder's next time slice.
        if (_background.TryDequeue(out var single))
        {
            self.Book.TokenStarved = true;
            return single;
        }

        var n = _workers.Length;
        if (n > 1)
        {
            var start = (int)(self.NextRandom() % (uint)n);
            for (var k = 0; k < n; k++)
            {
                var victim = _workers[(start + k) % n];
                if (victim != self && victim.Ring.StealHalfInto(ring) is { } stolen)
                {
                    OfferHeld(ring);
                    return stolen;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// After items moved into <paramref name="ring"/> (a burst, or half of another ring): while they moved they
    /// were in neither the queue nor a ring, so a worker checking for work just then may have gone to sleep.
    /// Fence, then wake a sleeper if the ring holds items to steal (pairs with the fence in Sleep: either its
    /// recheck sees the ring or we see the sleeper). Otherwise an item could wait behind a long one here.
    /// </summary>
    private void OfferHeld(BackgroundRing ring)
    {
        Interlocked.MemoryBarrier();
        if (!PlantedBugSkipOfferHeld && Volatile.Read(ref _sleepers) != 0 && ring.LooksNonEmpty)
        {
            WakeOne(admittedOnly: false);
        }
    }

    /// <summary>
    /// Every <see cref="StallCheckEvery"/> takes: steals half of a ring whose owner started no background item
    /// since the last look (it runs a long item or blocks) or that the scale gate holds back. Ring items are
    /// older than anything in the shared queue; without this they would wait for as long as producers keep the
    /// queue non-empty, since idle workers steal only when the queue is empty.
    /// </summary>
    private object? StealFromStalledRing(ThreadContext self)
    {
        if (--self.Book.StallCheckCountdown > 0 || _workers.Length < 2)
        {
            return null;
        }

        self.Book.StallCheckCountdown = StallCheckEvery;
        var seen = self.SeenTaken ??= new long[_workers.Length];
        foreach (var victim in _workers)
        {
            if (victim == self)
            {
                continue;
            }

            var taken = Volatile.Read(ref victim.Book.Taken);
            var stalled = taken == seen[victim.Index] || !_gate.Allows(victim.Index);
            seen[victim.Index] = taken;
            if (stalled && victim.Ring.LooksNonEmpty && victim.Ring.StealHalfInto(self.Ring) is { } item)
            {
                OfferHeld(self.Ring);
                return item;
            }
        }

        return null;
    }

    /// <summary>A try-lock alone on its cache lines: the worker holding it takes a burst from the shared queue.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * 128)]
    private struct QueueToken
    {
        [FieldOffset(128)]
        private int _held;

        /// <summary>A plain read of the token's own line: false while a worker holds it.</summary>
        internal readonly bool LooksFree => Volatile.Read(in _held) == 0;

        internal bool TryAcquire() => Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0;

        internal void Release() => Volatile.Write(ref _held, 0);
    }
}
