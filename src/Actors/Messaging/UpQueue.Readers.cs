namespace Actorpool.Actors.Messaging;

/// <summary>The reader side of the up-queue: waiting for a message (without or with a thread), the stop's drain, and
/// the count of live workers whose end wakes a waiting reader.</summary>
internal partial class UpQueue<T, TGate>
{
    /// <summary>A task that completes when a message is queued or a worker ends; completed at once when one is queued.</summary>
    public Task WhenReadable()
    {
        _gate.Enter();
        try
        {
            AssertInvariants();
            return _count > 0 ? Task.CompletedTask : (_signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>One step of a stop: takes everything queued; when nothing was queued, says whether every worker has
    /// ended (<c>true</c>) or hands back a task to wait on for more.</summary>
    public bool DrainStep(ICollection<UpMessage<T>> into, out Task? wait)
    {
        wait = null;
        if (Take(long.MaxValue, int.MaxValue, into) > 0)
        {
            return false;
        }

        _gate.Enter();
        try
        {
            AssertInvariants();
            // Take refilled from the senders as it went, so an empty ring here means no sender waits either.
            if (_count == 0 && _live == 0)
            {
                return true;
            }

            wait = _count > 0 ? Task.CompletedTask : (_signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            return false;
        }
        finally
        {
            _gate.Exit();
        }
    }

    public void WorkerStarted()
    {
        _gate.Enter();
        try
        {
            AssertInvariants();
            _live++;
        }
        finally
        {
            _gate.Exit();
        }
    }

    public void WorkerEnded()
    {
        TaskCompletionSource? signal;
        bool wake;
        _gate.Enter();
        try
        {
            AssertInvariants();
            _live--;
            signal = TakeSignal();
            wake = _blockedReaders > 0;
        }
        finally
        {
            _gate.Exit();
        }

        Wake(signal, wake);
    }

    /// <summary>Blocks the calling thread until a message is queued or a worker ends (at once when one is queued);
    /// the blocking twin of <see cref="WhenReadable"/>, allocating nothing.</summary>
    public void WaitReadable(CancellationToken cancellationToken)
    {
        ManualResetEventSlim readable;
        _gate.Enter();
        try
        {
            AssertInvariants();
            if (_count > 0)
            {
                return;
            }

            // Reset only while empty: any later Put or worker end sets it again, so no wakeup is lost.
            readable = _readable ??= new ManualResetEventSlim(false);
            readable.Reset();
            _blockedReaders++;
        }
        finally
        {
            _gate.Exit();
        }

        try
        {
            readable.Wait(cancellationToken);
        }
        finally
        {
            _gate.Enter();
            try
            {
                AssertInvariants();
                _blockedReaders--;
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    private void Wake(TaskCompletionSource? signal, bool blockedReaders)
    {
        signal?.TrySetResult();
        if (blockedReaders)
        {
            _readable!.Set(); // made before _blockedReaders rose, under the lock the waker read it in
        }
    }

    private TaskCompletionSource? TakeSignal()
    {
        var signal = _signal;
        _signal = null;
        return signal;
    }
}
