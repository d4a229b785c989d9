using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Actorpool;

/// <summary>
/// Joins from threads that are not this pool's workers: such a thread leases an external context (its own
/// deque, visible to thieves) for the duration of its outermost Join, runs the Join itself (workers steal its
/// halves; it helps with only its own tree) and meanwhile takes the place of one worker, which stays off
/// foreground work so the threads on the Join do not outnumber the cores (see WorkerLoop.TakesForeground). With
/// <see cref="WorkStealingPoolOptions.HandOffExternalJoins"/>, a long Join is instead handed to an idle worker
/// while the caller blocks.
/// </summary>
internal static class ExternalJoins
{
    // How long an external caller waits for an idle worker to take its handed-off Join before it takes the
    // Join back and runs it itself: long enough for a parked worker to wake (tens of microseconds on a VM).
    private static readonly long HandOffPatienceTicks = Stopwatch.Frequency / 5_000; // 200 us

    // A hand-off costs the caller a steal and a wake-up (a few us from a spinning worker, ~50-100 us from a
    // parked one on a VM): worth it only for a Join that runs long. The caller's previous outermost Join
    // predicts the next one (a loop of similar calls).
    private static readonly long WakeWorthyJoinTicks = Stopwatch.Frequency / 1_000; // 1 ms

    /// <summary>Join from a thread outside <paramref name="pool"/> (or inside another pool); rethrows as the pool's Join does.</summary>
    internal static void Join<TA, TB>(WorkStealingPool pool, ref TA a, ref TB b)
        where TA : struct, IJob
        where TB : struct, IJob
    {
        var lease = Lease(pool);
        if (lease is null)
        {
            Joins.RunBothInline(ref a, ref b); // every external slot is taken: still correct, just sequential
            return;
        }

        var previous = ThreadContext.Current;
        ThreadContext.Current = lease;
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (!TryHandOff(pool, lease, ref a, ref b))
            {
                Interlocked.Increment(ref pool.ActiveExternals);
                try
                {
                    Joins.JoinOn(pool, lease, ref a, ref b);
                }
                finally
                {
                    Leave(pool);
                }
            }
        }
        finally
        {
            lease.LastJoinTicks = Stopwatch.GetTimestamp() - start;
            ThreadContext.Current = previous;
            Volatile.Write(ref lease.Leased, 0);
        }
    }

    /// <summary>
    /// Runs the whole Join on a worker while the caller blocks, when the admitted workers cover every core, one
    /// of them is idle, and this caller's previous Join ran long enough (1 ms) to pay for the hand-off and the
    /// wake-ups (a few to ~100 us; a short Join keeps its microsecond latency on the old path). False, with
    /// nothing run, when the Join was not handed off or no worker took it within the patience window (the
    /// caller then runs it itself, so a Join still completes when every worker is busy or held back, and a
    /// short Join on a parked pool keeps its microsecond latency). Rethrows as Join does.
    /// </summary>
    private static bool TryHandOff<TA, TB>(WorkStealingPool pool, ThreadContext lease, ref TA a, ref TB b)
        where TA : struct, IJob
        where TB : struct, IJob
    {
        if (!pool.Options.HandOffExternalJoins
            || lease.LastJoinTicks < WakeWorthyJoinTicks
            || Math.Min(pool.Workers.Length, pool.Gate.Current) < Environment.ProcessorCount
            || Volatile.Read(ref pool.Spinning) + Volatile.Read(ref pool.Sleepers) == 0
            || Volatile.Read(ref pool.ActiveExternals) != 0 // a worker sleeping out of place would not take it
            || pool.IsDisposed)
        {
            return false;
        }

        var frame = JoinFrame<PairJob<TA, TB>>.Rent(lease);
        frame.Work = new PairJob<TA, TB>(pool, a, b);
        frame.OwnerWaitsOnly = true; // the caller does not help: pushes inside the pair must not wake it
        if (!lease.Deque.TryPush(frame))
        {
            frame.Return(lease);
            return false;
        }

        IdleWorkers.NotifyForegroundPush(pool);
        if (!AwaitThief(pool, lease, frame))
        {
            frame.Return(lease); // taken back untouched: a and b still hold their inputs
            return false;
        }

        AwaitDone(pool, lease, frame);
        a = frame.Work.A;
        b = frame.Work.B;
        var error = frame.Error;
        frame.Return(lease);
        Interlocked.Increment(ref pool.HandOffs);
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error); // exactly what the worker's Join threw (one, or an AggregateException)
        }

        return true;
    }

    /// <summary>Waits up to the patience window for a worker to steal <paramref name="frame"/>; false when the caller took it back.</summary>
    private static bool AwaitThief(WorkStealingPool pool, ThreadContext lease, Job frame)
    {
        var start = Stopwatch.GetTimestamp();
        while (lease.Deque.LooksNonEmpty)
        {
            if (Stopwatch.GetTimestamp() - start > HandOffPatienceTicks || pool.IsDisposed)
            {
                // Pop races any late thief through the deque's CAS: exactly one of us gets the frame.
                var popped = lease.Deque.Pop();
                Joins.AssertOwnFrame(popped, frame);
                return popped is null;
            }

            Thread.SpinWait(20);
        }

        return true;
    }

    /// <summary>
    /// Waits for a handed-off frame without helping (helping would put the third thread back on two cores):
    /// spins for the pool's spin window, then sleeps on the frame until the thief signals it.
    /// </summary>
    private static void AwaitDone<TJob>(WorkStealingPool pool, ThreadContext lease, JoinFrame<TJob> frame)
        where TJob : struct, IJob
    {
        var start = Stopwatch.GetTimestamp();
        while (!frame.IsDone && Stopwatch.GetTimestamp() - start < pool.SpinTimeTicks)
        {
            Thread.SpinWait(20);
        }

        while (!frame.IsDone)
        {
            if (frame.AnnounceSleep(lease.Parker))
            {
                lease.Parker.Wait(); // a stale signal from an earlier wait only costs one more turn of the loop
            }
        }
    }

    /// <summary>
    /// The caller's Join is done, so the worker whose place it took may steal again: if that worker went to
    /// sleep while foreground work from other job trees waits, wake it (the decrement is a full fence, pairing
    /// with the one in IdleWorkers.Sleep: either the sleeper's recheck sees the caller gone or the caller sees the sleeper).
    /// </summary>
    private static void Leave(WorkStealingPool pool)
    {
        Interlocked.Decrement(ref pool.ActiveExternals);
        if (Volatile.Read(ref pool.Sleepers) != 0 && IdleWorkers.HasVisibleWork(pool, foreground: true))
        {
            IdleWorkers.WakeOne(pool, admittedOnly: true);
        }
    }

    private static ThreadContext? Lease(WorkStealingPool pool)
    {
        ObjectDisposedException.ThrowIf(pool.IsDisposed, pool);
        for (var i = 0; i < WorkStealingPool.MaxExternals; i++)
        {
            var slot = Volatile.Read(ref pool.Externals[i]);
            if (slot is null)
            {
                var fresh = new ThreadContext(pool, i, isWorker: false, pool.ParkerFactory()) { Leased = 1 };
                if (Interlocked.CompareExchange(ref pool.Externals[i], fresh, null) is null)
                {
                    RaiseExternalHigh(pool, i + 1);
                    return fresh;
                }

                slot = Volatile.Read(ref pool.Externals[i])!;
            }

            if (Volatile.Read(ref slot.Leased) == 0 && Interlocked.CompareExchange(ref slot.Leased, 1, 0) == 0)
            {
                return slot;
            }
        }

        return null;
    }

    private static void RaiseExternalHigh(WorkStealingPool pool, int high) => Atomic.Raise(ref pool.ExternalHigh, high);

    /// <summary>A whole external Join as one stealable job: the worker that takes it runs the Join as its own.</summary>
    private struct PairJob<TA, TB>(WorkStealingPool pool, TA a, TB b) : IJob
        where TA : struct, IJob
        where TB : struct, IJob
    {
        public TA A = a;
        public TB B = b;

        public void Run() => pool.Join(ref A, ref B);
    }
}
