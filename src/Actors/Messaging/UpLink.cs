namespace Actorpool.Actors.Messaging;

/// <summary>
/// The link up to the manager that an up/down actor worker's handler gets: its index and the bounded up-queue. Every
/// message is stamped with the pool's clock when the send is called.
/// </summary>
public sealed class UpLink<TUp>
{
    private readonly UpQueue<TUp> _queue;
    private readonly TimeProvider _time;
    private readonly UpSendWaiter<TUp> _waiter = new(); // reused by every park of this worker's sends

    internal UpLink(int index, UpQueue<TUp> queue, TimeProvider time)
    {
        Index = index;
        _queue = queue;
        _time = time;
    }

    /// <summary>The worker's index in its pool (0-based, kept across respawns).</summary>
    public int Index { get; }

    /// <summary>The pool's clock (stamps, and the worker's restart backoff).</summary>
    internal TimeProvider Time => _time;

    /// <summary>
    /// Sends <paramref name="message"/> up. Completes at once while the up-queue has room; when it is full the task
    /// completes once the manager has taken messages out, and until then the worker takes no down messages (its
    /// mailbox is suspended; no thread is held). The message is never dropped. Await it before sending the next.
    /// </summary>
    public ValueTask SendUpAsync(TUp message) => _queue.EnqueueAsync(new UpMessage<TUp>(message, Index, _time.GetTimestamp()), _waiter);

    /// <summary>Sends <paramref name="message"/> up if the up-queue has room now; returns <c>false</c> at once when it is full.</summary>
    public bool TrySendUp(TUp message) => _queue.TryEnqueue(new UpMessage<TUp>(message, Index, _time.GetTimestamp()));
}
