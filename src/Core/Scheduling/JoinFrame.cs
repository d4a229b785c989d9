namespace Actorpool;

/// <summary>
/// The stealable second half of a Join. Frames are pooled per thread and per job type, so a Join allocates
/// nothing in steady state; only the thread that rented a frame returns it, after the frame is done.
/// </summary>
internal sealed class JoinFrame<TB> : Job
    where TB : struct, IJob
{
    private static readonly object DoneSignal = new();

    [ThreadStatic]
    private static JoinFrame<TB>? _free;

    /// <summary>The job; the owner writes it before the push, the thief runs it, the owner reads it after done.</summary>
    internal TB Work;

    /// <summary>Written by the thief before it signals done.</summary>
    internal Exception? Error;

    /// <summary>The thread running a stolen frame; the owner helps by stealing from its deque.</summary>
    internal ThreadContext? Thief;

    // null: not finished; an IParker: the owner sleeps on it; DoneSignal: finished. Exchanged atomically so
    // the owner's announcement and the thief's completion cannot miss each other.
    private object? _signal;

    private JoinFrame<TB>? _next; // free-list link, owner thread only

    internal bool IsDone => ReferenceEquals(Volatile.Read(ref _signal), DoneSignal);

    internal static JoinFrame<TB> Rent()
    {
        var frame = _free;
        if (frame is null)
        {
            return new JoinFrame<TB>();
        }

        _free = frame._next;
        frame._next = null;
        return frame;
    }

    /// <summary>Resets the frame and gives it back to the calling (owner) thread's free list.</summary>
    internal void Return()
    {
        Work = default;
        Error = null;
        Thief = null;
        _signal = null;
        _next = _free;
        _free = this;
    }

    internal override void Execute(ThreadContext runner)
    {
        Volatile.Write(ref Thief, runner);
        try
        {
            Work.Run();
        }
        catch (Exception ex)
        {
            Error = ex;
        }

        // After this exchange the frame belongs to its owner again: touch nothing but the parker.
        var previous = Interlocked.Exchange(ref _signal, DoneSignal);
        (previous as IParker)?.Set();
    }

    /// <summary>Owner: asks to be woken on completion; false when the frame is already done.</summary>
    internal bool AnnounceSleep(IParker parker)
    {
        var previous = Interlocked.CompareExchange(ref _signal, parker, null);
        return previous is null || ReferenceEquals(previous, parker);
    }
}
