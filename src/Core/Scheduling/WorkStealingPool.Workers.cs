using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Actorpool;

public sealed partial class WorkStealingPool
{
    // Tries for the queue token before a worker takes an item without it. A burst takes a few microseconds, so
    // the long patience covers it; after a worker went without (the holder was likely preempted), it waits
    // only briefly until it gets the token again, so a holder's lost time slice costs one wait, not one per item.
    private const int TokenPatience = 1024;
    private const int ShortTokenPatience = 16;
    private const int StallCheckEvery = 64; // background takes between two looks for stalled rings

    private static readonly TimeSpan MaxGatedPoll = TimeSpan.FromMilliseconds(64);

    /// <summary>Test-only: a sleeper skips its re-check for work after announcing sleep (a lost wake-up bug).</summary>
    internal static bool PlantedBugSkipSleepRecheck;

    /// <summary>Test-only: a worker that moved items into its ring does not offer them to sleepers (a stuck-item bug).</summary>
    internal static bool PlantedBugSkipOfferHeld;

    private void WorkerMain(ThreadContext self)
    {
        ThreadContext.Current = self;
        var gatedPoll = TimeSpan.FromMilliseconds(1);
        self.SpinTicks = _spinTicks;
        while (!IsDisposed)
        {
            if (!_gate.Allows(self.Index))
            {
                ParkGated(self, gatedPoll);
                gatedPoll = gatedPoll * 2 > MaxGatedPoll ? MaxGatedPoll : gatedPoll * 2;
                continue;
            }

            gatedPoll = TimeSpan.FromMilliseconds(1);
            if (TryRunOne(self) || Spin(self))
            {
                continue;
            }

            Nap(self);
        }

        ThreadContext.Current = null;
    }

    /// <summary>Runs one job if there is one: own deque, then steal foreground, then background FIFO.</summary>
    private bool TryRunOne(ThreadContext self)
    {
        var job = self.Deque.Pop() ?? (TakesForeground(self) ? StealForeground(self) : null);
        if (job is not null)
        {
            job.Execute(self);
            return true;
        }

        if (TakeBackground(self) is { } item)
        {
            RunBackground(item, self);
            return true;
        }

        return false;
    }

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

    /// <summary>
    /// Whether <paramref name="worker"/> may steal foreground work. While k external threads run their own
    /// Joins (each runs its first halves and helps with its own tree), they take the places of the k
    /// highest-index workers, so the threads on foreground work do not outnumber the cores: a third runnable
    /// thread on two cores gets time-sliced, and a Join then waits a whole scheduler slice for a half held by a
    /// descheduled thread. A worker out of place still runs background work; it neither steals nor spins.
    /// </summary>
    private bool TakesForeground(ThreadContext worker)
    {
        var externals = Volatile.Read(ref _activeExternals);
        return externals == 0 || worker.Index < _cores - externals;
    }

    /// <summary>Tries every other worker's deque (from a random start), then the external threads' deques.</summary>
    private Job? StealForeground(ThreadContext self)
    {
        var n = _workers.Length;
        var start = (int)(self.NextRandom() % (uint)n);
        for (var k = 0; k < n; k++)
        {
            var victim = _workers[(start + k) % n];
            if (victim != self && victim.Deque.Steal() is { } job)
            {
                return job;
            }
        }

        var high = Volatile.Read(ref _externalHigh);
        for (var i = 0; i < high; i++)
        {
            if (Volatile.Read(ref _externals[i]) is { } external && external != self && external.Deque.Steal() is { } job)
            {
                return job;
            }
        }

        return null;
    }

    /// <summary>
    /// Spins for the spin window looking for work; true when it ran something. Per pool, at most
    /// <see cref="MaxLongSpinners"/> workers at a time (one fewer than the machine's cores) may spin past
    /// <see cref="WorkStealingPoolOptions.SpinTime"/> into a window the adaptive rule grew; the others stop at
    /// SpinTime. Spinners on every core keep a thread outside the pool that just woke (a ThreadPool
    /// continuation, an actor on another dispatcher) off the CPU until one of them ends its window, which the
    /// OS does not cut short; its work then arrives just after the spinner parked, which grows the window
    /// further. With the shared pool's adaptive window such waits took up to 0.8 ms.
    /// </summary>
    private bool Spin(ThreadContext self)
    {
        var window = self.SpinTicks;
        if (window <= 0)
        {
            return false;
        }

        // Counted as idle while spinning, so an external Join knows a worker can take it at once.
        Interlocked.Increment(ref _spinning);
        var longSpin = false;
        if (window > _spinTicks)
        {
            longSpin = Interlocked.Increment(ref _longSpinners) <= MaxLongSpinners;
            if (!longSpin)
            {
                Interlocked.Decrement(ref _longSpinners);
                window = _spinTicks;
            }
        }

        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() - start < window && !IsDisposed && _gate.Allows(self.Index) && TakesForeground(self))
        {
            Thread.SpinWait(20);
            var job = self.Deque.Pop() ?? StealForeground(self);
            if (job is not null)
            {
                EndSpin(longSpin);
                job.Execute(self);
                return true;
            }

            if (TakeBackground(self) is { } item)
            {
                EndSpin(longSpin);
                RunBackground(item, self);
                return true;
            }
        }

        EndSpin(longSpin);
        return false;
    }

    /// <summary>Leaves the spinner counts (and the long-spin place, if this spin held one).</summary>
    private void EndSpin(bool longSpin)
    {
        if (longSpin)
        {
            Interlocked.Decrement(ref _longSpinners);
        }

        Interlocked.Decrement(ref _spinning);
    }

    /// <summary>
    /// Sleeps, then adapts the spin window: work that arrives soon after parking (a request/response rhythm
    /// slower than the window) doubles it, so the next gap is spun through instead of paying a wake-up; a long
    /// sleep (the pool went idle) resets it. Idle CPU stays bounded: one window of spinning per idle spell.
    /// </summary>
    private void Nap(ThreadContext self)
    {
        if (_maxSpinTicks == _spinTicks)
        {
            Sleep(self);
            return;
        }

        var parkedAt = Stopwatch.GetTimestamp();
        Sleep(self);
        var slept = Stopwatch.GetTimestamp() - parkedAt;
        self.SpinTicks = slept < self.SpinTicks * 4
            ? Math.Min(self.SpinTicks * 2, _maxSpinTicks)
            : slept > _maxSpinTicks * 4 ? _spinTicks : self.SpinTicks;
    }

    /// <summary>
    /// Sleeps until woken. Protocol: announce (Parked = 1, then a full fence via the sleeper count), recheck
    /// every queue, then wait. A producer publishes its work, fences, then reads the sleeper count, so either
    /// the recheck sees the work or the producer sees the sleeper: no wake-up is lost for background work.
    /// </summary>
    private void Sleep(ThreadContext self)
    {
        Volatile.Write(ref self.Parked, 1);
        Interlocked.Increment(ref _sleepers);
        if ((!PlantedBugSkipSleepRecheck && HasVisibleWork(TakesForeground(self))) || IsDisposed || !_gate.Allows(self.Index))
        {
            CancelSleep(self);
            return;
        }

        while (Volatile.Read(ref self.Parked) == 1 && !IsDisposed)
        {
            self.Parker.Wait();
        }
    }

    /// <summary>A worker the scale gate holds back polls with a growing timeout, since nobody signals a rise.</summary>
    private void ParkGated(ThreadContext self, TimeSpan poll)
    {
        Volatile.Write(ref self.Parked, 1);
        Interlocked.Increment(ref _sleepers);
        if (!IsDisposed && !_gate.Allows(self.Index))
        {
            self.Parker.Wait(poll);
        }

        CancelSleep(self);
        _gate.RefreshIfStale(); // a held-back worker must see a rise without waiting for 16 queries
    }

    private void CancelSleep(ThreadContext self)
    {
        if (Interlocked.CompareExchange(ref self.Parked, 0, 1) == 1)
        {
            Interlocked.Decrement(ref _sleepers);
        }

        // else a waker already took us out of the set; its Set() stays latched and makes one later wait
        // return early, which every wait loop tolerates.
    }

    /// <summary>Background work, or with <paramref name="foreground"/> also stealable foreground work, is visible.</summary>
    private bool HasVisibleWork(bool foreground)
    {
        if (!_background.IsEmpty)
        {
            return true;
        }

        foreach (var worker in _workers)
        {
            if (worker.Ring.LooksNonEmpty)
            {
                return true;
            }
        }

        if (!foreground)
        {
            return false;
        }

        foreach (var worker in _workers)
        {
            if (worker.Deque.LooksNonEmpty)
            {
                return true;
            }
        }

        var high = Volatile.Read(ref _externalHigh);
        for (var i = 0; i < high; i++)
        {
            if (Volatile.Read(ref _externals[i]) is { } external && external.Deque.LooksNonEmpty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>After a foreground push: wake a sleeper if any (a hint only; the pusher runs its own work anyway).</summary>
    private void NotifyForegroundPush()
    {
        if (Volatile.Read(ref _sleepers) != 0)
        {
            WakeOne(admittedOnly: true);
        }
    }
}
