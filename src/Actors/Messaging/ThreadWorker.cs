namespace Actorpool.Actors.Messaging;

/// <summary>
/// A thread-style worker's two ends, handed to its closure: a down-receiver (which applies Pause, Continue and
/// Stop itself) and an up-sender. Meant for the worker's own dedicated thread; the receiving and sending calls
/// block it and say so.
/// </summary>
public sealed class ThreadWorker<TDown, TUp>
{
    private readonly DownQueue _down;
    private readonly UpQueue<TUp> _up;
    private readonly TimeProvider _time;
    private readonly Queue<TDown> _held = new(); // down messages that arrived while paused; worker thread only
    private bool _paused;                          // worker thread only
    private readonly UpSendWaiter<TUp> _waiter = new(); // reused by every park of this worker's sends

    internal ThreadWorker(int index, DownQueue down, UpQueue<TUp> up, TimeProvider time)
    {
        Index = index;
        _down = down;
        _up = up;
        _time = time;
    }

    /// <summary>The worker's index in its pool (0-based).</summary>
    public int Index { get; }

    /// <summary><c>true</c> once the worker has received Stop; every receive returns <c>false</c> from then on.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>Down messages handed to the closure since the pool last (re)started it; worker thread only.</summary>
    internal int Received { get; set; }

    /// <summary>
    /// Waits out a restart backoff on the worker's own thread (a thread-style worker may block): returns when
    /// <paramref name="delay"/> has passed on the pool's clock, or at once when Stop arrives. Down messages that
    /// arrive meanwhile are kept, in order, for the next run; Pause and Continue apply as usual.
    /// </summary>
    internal void WaitOut(TimeSpan delay)
    {
        var elapsed = new BackoffElapsed();
        using var timer = _time.CreateTimer(static s => { var (down, marker) = ((DownQueue, BackoffElapsed))s!; down.Add(marker); }, (_down, elapsed), delay, Timeout.InfiniteTimeSpan);
        while (!IsStopped)
        {
            var item = _down.Take();
            if (ReferenceEquals(item, elapsed))
            {
                return;
            }

            Apply(item);
        }
    }

    /// <summary>The down messages until Stop, in arrival order; blocks between them. <c>foreach</c> over it is the receive loop.</summary>
    public IEnumerable<TDown> Messages
    {
        get
        {
            while (Recv(out var message))
            {
                yield return message;
            }
        }
    }

    /// <summary>Blocks until a down message arrives and returns <c>true</c> with it, or returns <c>false</c> once Stop has arrived.
    /// While paused it holds the messages that arrive and returns them, in order, after Continue.</summary>
    public bool Recv(out TDown message) => Next(block: true, out message);

    /// <summary>Returns a down message if one is ready now (never blocks); <c>false</c> when none is, or once stopped.</summary>
    public bool TryRecv(out TDown message) => Next(block: false, out message);

    /// <summary>Calls <paramref name="handle"/> for every down message until Stop: the whole worker loop in one line.</summary>
    public void Run(Action<TDown> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (Recv(out var message))
        {
            handle(message);
        }
    }

    /// <summary>Sends <paramref name="message"/> up, blocking this thread while the up-queue is full; never drops it.</summary>
    public void Send(TUp message)
    {
        _up.Enqueue(Stamp(message), _waiter);
    }

    /// <summary>Sends <paramref name="message"/> up without holding a thread while the up-queue is full.</summary>
    public ValueTask SendAsync(TUp message) => _up.EnqueueAsync(Stamp(message), _waiter);

    /// <summary>Sends <paramref name="message"/> up if the up-queue has room now; returns <c>false</c> at once when it is full.</summary>
    public bool TrySend(TUp message) => _up.TryEnqueue(Stamp(message));

    private UpMessage<TUp> Stamp(TUp message) => new(message, Index, _time.GetTimestamp());

    private bool Next(bool block, out TDown message)
    {
        while (!IsStopped)
        {
            if (!_paused && _held.TryDequeue(out message!))
            {
                Received++; // progress too: a held message handed out is work done
                return true;
            }

            object? item;
            if (block)
            {
                item = _down.Take();
            }
            else if (!_down.TryTake(out item))
            {
                break;
            }

            // Control items and backoff markers first, by reference: a TDown of object would match them too.
            if (!_paused && !IsControl(item))
            {
                Received++;
                message = (TDown)item!;
                return true;
            }

            Apply(item);
        }

        message = default!;
        return false;
    }

    /// <summary>Applies a control item or holds a down message that cannot be handed out now (paused, backing off).</summary>
    private void Apply(object? item)
    {
        if (ReferenceEquals(item, DownControl.Stop))
        {
            IsStopped = true;
        }
        else if (ReferenceEquals(item, DownControl.Pause))
        {
            _paused = true;
        }
        else if (ReferenceEquals(item, DownControl.Continue))
        {
            _paused = false;
        }
        else if (item is not BackoffElapsed)
        {
            _held.Enqueue((TDown)item!);
        }

        // A BackoffElapsed here is the marker of a wait that Stop cut short (or an earlier one): nothing to do.
    }

    private static bool IsControl(object? item) =>
        ReferenceEquals(item, DownControl.Stop) || ReferenceEquals(item, DownControl.Pause) ||
        ReferenceEquals(item, DownControl.Continue) || item is BackoffElapsed;

    /// <summary>The item a backoff timer puts in the down-queue when it has elapsed (one per wait).</summary>
    private sealed class BackoffElapsed;
}
