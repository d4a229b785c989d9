namespace Actorpool;

/// <summary>
/// Joins from threads that are not this pool's workers: such a thread leases an external context (its own
/// deque, visible to thieves) for the duration of its outermost Join, so workers can steal its halves while
/// it runs and helps with only its own tree.
/// </summary>
public sealed partial class WorkStealingPool
{
    private void JoinExternal<TA, TB>(ref TA a, ref TB b)
        where TA : struct, IJob
        where TB : struct, IJob
    {
        var lease = LeaseExternal();
        if (lease is null)
        {
            RunBothInline(ref a, ref b); // every external slot is taken: still correct, just sequential
            return;
        }

        var previous = ThreadContext.Current;
        ThreadContext.Current = lease;
        try
        {
            JoinOn(lease, ref a, ref b);
        }
        finally
        {
            ThreadContext.Current = previous;
            Volatile.Write(ref lease.Leased, 0);
        }
    }

    private ThreadContext? LeaseExternal()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        for (var i = 0; i < MaxExternals; i++)
        {
            var slot = Volatile.Read(ref _externals[i]);
            if (slot is null)
            {
                var fresh = new ThreadContext(this, i, isWorker: false, _parkerFactory()) { Leased = 1 };
                if (Interlocked.CompareExchange(ref _externals[i], fresh, null) is null)
                {
                    RaiseExternalHigh(i + 1);
                    return fresh;
                }

                slot = Volatile.Read(ref _externals[i])!;
            }

            if (Volatile.Read(ref slot.Leased) == 0 && Interlocked.CompareExchange(ref slot.Leased, 1, 0) == 0)
            {
                return slot;
            }
        }

        return null;
    }

    private void RaiseExternalHigh(int high)
    {
        var current = Volatile.Read(ref _externalHigh);
        while (current < high)
        {
            var seen = Interlocked.CompareExchange(ref _externalHigh, high, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
