namespace Actorpool.Actors.Pools;

/// <summary>
/// The backlog's free slots: taking and giving back a slot is one interlocked operation (no lock on the hot
/// path); only callers that wait for space (<c>RunAsync</c> on a full backlog) take the lock and queue a task.
/// </summary>
internal sealed class BacklogGate(int slots)
{
    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _waiters = new();

    // Free slots; any thread (CAS).
    private int _free = slots;

    // Waiters queued (incremented before a waiter re-checks _free, read by Release after it adds to _free:
    // both are interlocked, so either the waiter sees the slot or Release sees the waiter).
    private int _waiting;

    public int Free => Volatile.Read(ref _free);

    public bool TryTake()
    {
        var free = Volatile.Read(ref _free);
        while (free > 0)
        {
            var seen = Interlocked.CompareExchange(ref _free, free - 1, free);
            if (seen == free)
            {
                return true;
            }

            free = seen;
        }

        return false;
    }

    public void Release(int count = 1)
    {
        Interlocked.Add(ref _free, count);
        if (Volatile.Read(ref _waiting) == 0)
        {
            return;
        }

        lock (_lock)
        {
            while (_waiters.Count > 0 && TryTake())
            {
                var waiter = _waiters.Dequeue();
                Interlocked.Decrement(ref _waiting);
                if (!waiter.TrySetResult())
                {
                    Interlocked.Increment(ref _free); // it was cancelled: the slot goes to the next one
                }

                waiter.Registration.Dispose();
            }
        }
    }

    /// <summary>Completes when the caller holds one slot; cancelled (holding none) when <paramref name="cancellationToken"/> fires first.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (TryTake())
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            Interlocked.Increment(ref _waiting);
            if (TryTake())
            {
                Interlocked.Decrement(ref _waiting);
                return Task.CompletedTask;
            }

            var waiter = new Waiter();
            waiter.Registration = cancellationToken.UnsafeRegister(static (w, token) => ((Waiter)w!).TrySetCanceled(token), waiter);
            _waiters.Enqueue(waiter);
            return waiter.Task;
        }
    }

    private sealed class Waiter() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public CancellationTokenRegistration Registration { get; set; }
    }
}
