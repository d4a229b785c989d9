using System.Threading.Tasks.Sources;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// A sender parked on a full <see cref="UpQueue{T}"/>: the message it holds and the way to wake its owner. Each worker
/// keeps one and re-arms it for every park, so a park allocates nothing; a send made while the worker's waiter is still
/// parked (an unawaited earlier send) gets a fresh one. An async park completes a pooled <see cref="ValueTask"/>; a
/// blocking park (a thread-style worker's Send) waits on an event owned by the waiter.
/// </summary>
internal sealed class UpSendWaiter<T> : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;
    private ManualResetEventSlim? _event; // created on the first blocking park; reused after
    private bool _blocking;               // written by the owner before the park is published under the queue's lock
    private int _armed;                   // 1 from TryArm until the owner has observed the release

    public UpSendWaiter() => _core.RunContinuationsAsynchronously = true;

    /// <summary>The parked message; read by the taker under the queue's lock.</summary>
    public UpMessage<T> Message { get; private set; }

    /// <summary>Links released waiters so a taker can wake them outside the lock without a list.</summary>
    public UpSendWaiter<T>? NextReleased { get; set; }

    /// <summary>The task an async park returns; valid once per <see cref="TryArm"/>.</summary>
    public ValueTask Task => new(this, _core.Version);

    /// <summary>Prepares one park; <c>false</c> when this waiter is still parked or not yet observed from an earlier send.</summary>
    public bool TryArm(in UpMessage<T> message, bool blocking)
    {
        if (Interlocked.Exchange(ref _armed, 1) != 0)
        {
            return false;
        }

        _core.Reset();
        Message = message;
        _blocking = blocking;
        if (blocking)
        {
            (_event ??= new ManualResetEventSlim(false)).Reset();
        }

        return true;
    }

    /// <summary>Wakes the owner: its message has been moved into a slot. Called once per park, outside the queue's lock.</summary>
    public void Release()
    {
        Message = default;
        if (_blocking)
        {
            _event!.Set();
        }
        else
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Blocks the owner's thread until <see cref="Release"/>; for blocking parks only.</summary>
    public void Wait()
    {
        _event!.Wait();
        Volatile.Write(ref _armed, 0);
    }

    void IValueTaskSource.GetResult(short token)
    {
        _core.GetResult(token);
        Volatile.Write(ref _armed, 0);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
