using System.Diagnostics;

namespace Actorpool;

/// <summary>
/// An idle worker: spin for the spin window, then sleep with a protocol that cannot lose a wake-up; waking
/// sleepers when work arrives.
/// </summary>
internal static class IdleWorkers
{
    internal static readonly TimeSpan MaxGatedPoll = TimeSpan.FromMilliseconds(64);

    /// <summary>Test-only: a sleeper skips its re-check for work after announcing sleep (a lost wake-up bug).</summary>
    internal static bool PlantedBugSkipSleepRecheck;

    /// <summary>
    /// Spins for the spin window looking for work; true when it ran something. Per pool, at most
    /// <see cref="WorkStealingPool.MaxLongSpinners"/> workers at a time (one fewer than the machine's cores) may spin past
    /// <see cref="WorkStealingPoolOptions.SpinTime"/> into a window the adaptive rule grew; the others stop at
    /// SpinTime. Spinners on every core keep a thread outside the pool that just woke (a ThreadPool
    /// continuation, an actor on another dispatcher) off the CPU until one of them ends its window, which the
    /// OS does not cut short; its work then arrives just after the spinner parked, which grows the window
    /// further. With the shared pool's adaptive window such waits took up to 0.8 ms.
    /// </summary>
    internal static bool Spin(WorkStealingPool pool, ThreadContext self)
    {
        var window = self.SpinTicks;
        if (window <= 0)
        {
            return false;
        }

        // Counted as idle while spinning, so an external Join knows a worker can take it at once.
        Interlocked.Increment(ref pool.Spinning);
        var longSpin = false;
        if (window > pool.SpinTimeTicks)
        {
            longSpin = Interlocked.Increment(ref pool.LongSpinners) <= pool.MaxLongSpinners;
            if (!longSpin)
            {
                Interlocked.Decrement(ref pool.LongSpinners);
                window = pool.SpinTimeTicks;
            }
        }

        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() - start < window && !pool.IsDisposed && pool.Gate.Allows(self.Index) && WorkerLoop.TakesForeground(pool, self))
        {
            Thread.SpinWait(20);
            var job = self.Deque.Pop() ?? WorkerLoop.StealForeground(pool, self);
            if (job is not null)
            {
                EndSpin(pool, longSpin);
                job.Execute(self);
                return true;
            }

            if (BackgroundQueue.Take(pool, self) is { } item)
            {
                EndSpin(pool, longSpin);
                BackgroundQueue.Run(pool, item, self);
                return true;
            }
        }

        EndSpin(pool, longSpin);
        return false;
    }

    /// <summary>
    /// Sleeps, then adapts the spin window: work that arrives soon after parking (a request/response rhythm
    /// slower than the window) doubles it, so the next gap is spun through instead of paying a wake-up; a long
    /// sleep (the pool went idle) resets it. Idle CPU stays bounded: one window of spinning per idle spell.
    /// </summary>
    internal static void Nap(WorkStealingPool pool, ThreadContext self)
    {
        if (pool.MaxSpinTimeTicks == pool.SpinTimeTicks)
        {
            Sleep(pool, self);
            return;
        }

        var parkedAt = Stopwatch.GetTimestamp();
        Sleep(pool, self);
        var slept = Stopwatch.GetTimestamp() - parkedAt;
        self.SpinTicks = slept < self.SpinTicks * 4
            ? Math.Min(self.SpinTicks * 2, pool.MaxSpinTimeTicks)
            : slept > pool.MaxSpinTimeTicks * 4 ? pool.SpinTimeTicks : self.SpinTicks;
    }

    /// <summary>A worker the scale gate holds back polls with a growing timeout, since nobody signals a rise.</summary>
    internal static void ParkGated(WorkStealingPool pool, ThreadContext self, TimeSpan poll)
    {
        Volatile.Write(ref self.Parked, 1);
        Interlocked.Increment(ref pool.Sleepers);
        if (!pool.IsDisposed && !pool.Gate.Allows(self.Index))
        {
            self.Parker.Wait(poll);
        }

        CancelSleep(pool, self);
        pool.Gate.RefreshIfStale(); // a held-back worker must see a rise without waiting for 16 queries
    }

    /// <summary>After a foreground push: wake a sleeper if any (a hint only; the pusher runs its own work anyway).</summary>
    internal static void NotifyForegroundPush(WorkStealingPool pool)
    {
        if (Volatile.Read(ref pool.Sleepers) != 0)
        {
            WakeOne(pool, admittedOnly: true);
        }
    }

    /// <summary>
    /// Wakes the lowest-index sleeping worker, if any. With <paramref name="admittedOnly"/> (the foreground
    /// hint) a worker the scale gate holds back is left asleep; background work wakes one regardless, because a
    /// worker that went to sleep while admitted sleeps without polling and would otherwise miss a later rise.
    /// </summary>
    internal static void WakeOne(WorkStealingPool pool, bool admittedOnly)
    {
        foreach (var worker in pool.Workers)
        {
            if (admittedOnly && (!pool.Gate.Allows(worker.Index) || !WorkerLoop.TakesForeground(pool, worker)))
            {
                return; // the rest have higher indices: held back too
            }

            if (Volatile.Read(ref worker.Parked) == 1 && Interlocked.CompareExchange(ref worker.Parked, 0, 1) == 1)
            {
                Interlocked.Decrement(ref pool.Sleepers);
                worker.Parker.Set();
                return;
            }
        }
    }

    /// <summary>Background work, or with <paramref name="foreground"/> also stealable foreground work, is visible.</summary>
    internal static bool HasVisibleWork(WorkStealingPool pool, bool foreground)
    {
        if (!pool.Background.IsEmpty)
        {
            return true;
        }

        foreach (var worker in pool.Workers)
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

        foreach (var worker in pool.Workers)
        {
            if (worker.Deque.LooksNonEmpty)
            {
                return true;
            }
        }

        var high = Volatile.Read(ref pool.ExternalHigh);
        for (var i = 0; i < high; i++)
        {
            if (Volatile.Read(ref pool.Externals[i]) is { } external && external.Deque.LooksNonEmpty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Leaves the spinner counts (and the long-spin place, if this spin held one).</summary>
    private static void EndSpin(WorkStealingPool pool, bool longSpin)
    {
        if (longSpin)
        {
            Interlocked.Decrement(ref pool.LongSpinners);
        }

        Interlocked.Decrement(ref pool.Spinning);
    }

    /// <summary>
    /// Sleeps until woken. Protocol: announce (Parked = 1, then a full fence via the sleeper count), recheck
    /// every queue, then wait. A producer publishes its work, fences, then reads the sleeper count, so either
    /// the recheck sees the work or the producer sees the sleeper: no wake-up is lost for background work.
    /// </summary>
    private static void Sleep(WorkStealingPool pool, ThreadContext self)
    {
        Volatile.Write(ref self.Parked, 1);
        Interlocked.Increment(ref pool.Sleepers);
        if ((!PlantedBugSkipSleepRecheck && HasVisibleWork(pool, WorkerLoop.TakesForeground(pool, self))) || pool.IsDisposed || !pool.Gate.Allows(self.Index))
        {
            CancelSleep(pool, self);
            return;
        }

        while (Volatile.Read(ref self.Parked) == 1 && !pool.IsDisposed)
        {
            self.Parker.Wait();
        }
    }

    private static void CancelSleep(WorkStealingPool pool, ThreadContext self)
    {
        if (Interlocked.CompareExchange(ref self.Parked, 0, 1) == 1)
        {
            Interlocked.Decrement(ref pool.Sleepers);
        }

        // else a waker already took us out of the set; its Set() stays latched and makes one later wait
        // return early, which every wait loop tolerates.
    }
}
