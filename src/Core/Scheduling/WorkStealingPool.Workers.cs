namespace Actorpool;

// A worker's loop: its own deque, then foreground work stolen from others, then background work; idle, it spins,
// then sleeps (WorkStealingPool.Idle.cs). Background bursts and rings are in WorkStealingPool.Background.cs.
public sealed partial class WorkStealingPool
{
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
}
