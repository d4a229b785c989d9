namespace Actorpool;

/// <summary>
/// The stealable second half of a Join. Frames are pooled per thread and per job type, so a Join allocates
/// nothing in steady state; only the thread that rented a frame returns it, after the frame is done.
/// </summary>
internal sealed class JoinFrame<TB> : Job
    where TB : struct, IJob
{
    private static readonly object DoneSignal = new();

    /// <summary>This frame type's index in <see cref="ThreadContext.FrameCache"/>.</summary>
    private static readonly int TypeId = ThreadContext.NextFrameTypeId();

    /// <summary>The job; the owner writes it before the push, the thief runs it, the owner reads it after done.</summary>
    internal TB Work;

    /// <summary>Written by the thief before it signals done.</summary>
    internal Exception? Error;

    /// <summary>The thread running a stolen frame; the owner helps by stealing from its deque.</summary>
    internal ThreadContext? Thief;

    /// <summary>Written by the owner before the push: it only blocks (a handed-off external Join), so new work is not for it.</summary>
    internal bool OwnerWaitsOnly;

    // null: not finished; an IParker: the owner sleeps on it; DoneSignal: finished. Exchanged atomically so
    // the owner's announcement and the thief's completion cannot miss each other.
    private object? _signal;

    private JoinFrame<TB>? _next; // free-list link, owner context only

    internal bool IsDone => ReferenceEquals(Volatile.Read(ref _signal), DoneSignal);

    /// <summary>A free frame from <paramref name="owner"/>'s cache (a context is used by one thread at a time).</summary>
    internal static JoinFrame<TB> Rent(ThreadContext owner)
    {
        var cache = owner.FrameCache;
        if ((uint)TypeId < (uint)cache.Length && cache[TypeId] is JoinFrame<TB> frame)
        {
            cache[TypeId] = frame._next;
            frame._next = null;
            return frame;
        }

        return new JoinFrame<TB>();
    }

    /// <summary>Resets the frame and gives it back to <paramref name="owner"/>'s cache, once the frame is done.</summary>
    internal void Return(ThreadContext owner)
    {
        Work = default;
        Error = null;
        Thief = null;
        OwnerWaitsOnly = false;
        _signal = null;
        var cache = owner.FrameCache;
        if ((uint)TypeId >= (uint)cache.Length)
        {
            cache = owner.GrowFrameCache(TypeId);
        }

        _next = cache[TypeId] as JoinFrame<TB>;
        cache[TypeId] = this;
    }

    internal override void Execute(ThreadContext runner)
    {
        Volatile.Write(ref Thief, runner);
        var outer = runner.RunningStolen;
        runner.RunningStolen = this;
        try
        {
            Work.Run();
        }
        catch (Exception ex)
        {
            Error = ex;
        }

        runner.RunningStolen = outer;

        // After this exchange the frame belongs to its owner again: touch nothing but the parker.
        var previous = Interlocked.Exchange(ref _signal, DoneSignal);
        (previous as IParker)?.Set();
    }

    /// <summary>
    /// Thief, while running the frame: sets the parker of an owner that sleeps on it. The signal stays
    /// announced, so completion wakes it again if it sleeps once more; an extra Set only ends one wait early.
    /// </summary>
    internal override void WakeSleepingOwner()
    {
        if (!OwnerWaitsOnly && Volatile.Read(ref _signal) is IParker parker)
        {
            parker.Set();
        }
    }

    /// <summary>Owner: asks to be woken on completion; false when the frame is already done.</summary>
    internal bool AnnounceSleep(IParker parker)
    {
        var previous = Interlocked.CompareExchange(ref _signal, parker, null);
        return previous is null || ReferenceEquals(previous, parker);
    }
}
