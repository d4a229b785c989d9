namespace Actorpool;

/// <summary>
/// A worker's loop: its own deque, then foreground work stolen from others, then background work; idle, it
/// spins, then sleeps (<see cref="IdleWorkers"/>). Background bursts and rings are in <see cref="BackgroundQueue"/>.
/// </summary>
internal static class WorkerLoop
{
    /// <summary>The body of worker thread <paramref name="self"/> of <paramref name="pool"/>, until Dispose.</summary>
    internal static void Run(WorkStealingPool pool, ThreadContext self)
    {
        ThreadContext.Current = self;
        var gatedPoll = TimeSpan.FromMilliseconds(1);
        self.SpinTicks = pool.SpinTimeTicks;
        while (!pool.IsDisposed)
        {
            if (!pool.Gate.Allows(self.Index))
            {
                IdleWorkers.ParkGated(pool, self, gatedPoll);
                gatedPoll = gatedPoll * 2 > IdleWorkers.MaxGatedPoll ? IdleWorkers.MaxGatedPoll : gatedPoll * 2;
                continue;
            }

            gatedPoll = TimeSpan.FromMilliseconds(1);
            if (TryRunOne(pool, self) || IdleWorkers.Spin(pool, self))
            {
                continue;
            }

            IdleWorkers.Nap(pool, self);
        }

        ThreadContext.Current = null;
    }

    /// <summary>Runs one job if there is one: own deque, then steal foreground, then background FIFO.</summary>
    private static bool TryRunOne(WorkStealingPool pool, ThreadContext self)
    {
        var job = self.Deque.Pop() ?? (TakesForeground(pool, self) ? StealForeground(pool, self) : null);
        if (job is not null)
        {
            job.Execute(self);
            return true;
        }

        if (BackgroundQueue.Take(pool, self) is { } item)
        {
            BackgroundQueue.Run(pool, item, self);
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
    internal static bool TakesForeground(WorkStealingPool pool, ThreadContext worker)
    {
        var externals = Volatile.Read(ref pool.ActiveExternals);
        return externals == 0 || worker.Index < pool.Cores - externals;
    }

    /// <summary>Tries every other worker's deque (from a random start), then the external threads' deques.</summary>
    internal static Job? StealForeground(WorkStealingPool pool, ThreadContext self)
    {
        var n = pool.Workers.Length;
        var start = (int)(self.NextRandom() % (uint)n);
        for (var k = 0; k < n; k++)
        {
            var victim = pool.Workers[(start + k) % n];
            if (victim != self && victim.Deque.Steal() is { } job)
            {
                return job;
            }
        }

        var high = Volatile.Read(ref pool.ExternalHigh);
        for (var i = 0; i < high; i++)
        {
            if (Volatile.Read(ref pool.Externals[i]) is { } external && external != self && external.Deque.Steal() is { } job)
            {
                return job;
            }
        }

        return null;
    }
}
