using System.Diagnostics;

namespace Actorpool;

// An idle worker: spin for the spin window, then sleep with a protocol that cannot lose a wake-up; waking sleepers.
public sealed partial class WorkStealingPool
{
    private static readonly TimeSpan MaxGatedPoll = TimeSpan.FromMilliseconds(64);

    /// <summary>Test-only: a sleeper skips its re-check for work after announcing sleep (a lost wake-up bug).</summary>
    internal static bool PlantedBugSkipSleepRecheck;

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
