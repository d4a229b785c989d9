using System.Runtime.InteropServices;

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

    /// <summary>Workers only: background items this worker took from the shared queue in one burst (see BackgroundRing).</summary>
    internal BackgroundRing Ring { get; } = new();

    /// <summary>
    /// Workers only: background bookkeeping the owner writes as it works, on cache lines of its own — thieves
    /// read this context's deque and ring references on every steal, and must not pull a line the owner just
    /// wrote.
    /// </summary>
    internal BackgroundBook Book;

    /// <summary>Workers only (owner only): each worker's <see cref="BackgroundBook.Taken"/> at the last look.</summary>
    internal long[]? SeenTaken;

    /// <summary>
    /// 1 while the worker is in the sleepers set. Set to 1 only by the owner; cleared by whoever wins the
    /// CAS 1→0 (the owner giving up sleep, or a waker), and that winner decrements the pool's sleeper count.
    /// </summary>
    internal int Parked;

    /// <summary>
    /// Workers only (owner only): the current spin window in Stopwatch ticks, between the pool's SpinTime and
    /// MaxSpinTime; it doubles when the worker is woken soon after parking and falls back after a long sleep.
    /// </summary>
    internal long SpinTicks;

    /// <summary>Owner only: the innermost stolen frame this thread is running, or null (see Job.WakeSleepingOwner).</summary>
    internal Job? RunningStolen;

    /// <summary>External contexts only (the leasing thread): how long the last outermost Join on this lease took, in Stopwatch ticks.</summary>
    internal long LastJoinTicks;

    /// <summary>External contexts only: 1 while leased to a thread (CAS 0→1 to lease).</summary>
    internal int Leased;

    private static int _frameTypes; // frame types seen so far (process-wide)

    private uint _seed; // owner only: steal-victim randomisation

    /// <summary>Owner only: free lists of Join frames, one slot per frame type (see JoinFrame.Rent).</summary>
    internal object?[] FrameCache { get; private set; } = new object?[8];

    internal static int NextFrameTypeId() => Interlocked.Increment(ref _frameTypes) - 1;

    /// <summary>Owner only: makes room for frame type <paramref name="typeId"/>.</summary>
    internal object?[] GrowFrameCache(int typeId)
    {
        var grown = new object?[Math.Max(typeId + 1, FrameCache.Length * 2)];
        FrameCache.CopyTo(grown, 0);
        FrameCache = grown;
        return grown;
    }

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

    /// <summary>See <see cref="Book"/>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * 128)]
    internal struct BackgroundBook
    {
        /// <summary>Owner writes, others read: background items this worker has started.</summary>
        [FieldOffset(128)]
        public long Taken;

        /// <summary>Owner only: background takes left until it next looks for stalled rings.</summary>
        [FieldOffset(136)]
        public int StallCheckCountdown;

        /// <summary>Owner only: true after it took a background item without the queue token.</summary>
        [FieldOffset(140)]
        public bool TokenStarved;
    }
}
