namespace Actorpool;

/// <summary>
/// What one thread needs to take part in a pool: its deque, its parker and its sleep flag. Pool workers
/// own one for life; an external thread leases one for the duration of its outermost Join.
/// </summary>
internal sealed class ThreadContext
{
    /// <summary>The context of the calling thread, or null outside any pool (one pool at a time).</summary>
    [ThreadStatic]
    internal static ThreadContext? Current;

    internal ThreadContext(WorkStealingPool pool, int index, bool isWorker, IParker parker)
    {
        Pool = pool;
        Index = index;
        IsWorker = isWorker;
        Parker = parker;
        _seed = (uint)(index * 2654435761u) | 1u;
    }

    internal WorkStealingPool Pool { get; }

    /// <summary>Worker index (scale gate order) or external slot index.</summary>
    internal int Index { get; }

    internal bool IsWorker { get; }

    internal IParker Parker { get; }

    internal WorkDeque Deque { get; } = new();

    /// <summary>
    /// 1 while the worker is in the sleepers set. Set to 1 only by the owner; cleared by whoever wins the
    /// CAS 1→0 (the owner giving up sleep, or a waker), and that winner decrements the pool's sleeper count.
    /// </summary>
    internal int Parked;

    /// <summary>External contexts only: 1 while leased to a thread (CAS 0→1 to lease).</summary>
    internal int Leased;

    private uint _seed; // owner only: steal-victim randomisation

    /// <summary>Owner only: a cheap xorshift random number.</summary>
    internal uint NextRandom()
    {
        var x = _seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _seed = x;
        return x;
    }
}
