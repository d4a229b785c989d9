using System.Diagnostics;

namespace Actorpool.Actors.Pools;

/// <summary>
/// The backlog's free permits: taking and giving back a permit is one interlocked operation (no lock on the hot
/// path); only callers that wait for space (<c>RunAsync</c> on a full backlog) take the lock and queue a task.
/// </summary>
internal sealed class BacklogGate(int permits)
{
    // A Monitor rather than System.Threading.Lock: Coyote 1.7 (the reliability tests) controls Monitor only.
    private readonly object _lock = new();
    private readonly Queue<Waiter> _waiters = new(); // under _lock
    private readonly int _bound = permits;               // read by the Debug invariant check only

    // Free permits; any thread (CAS).
    private int _free = permits;

    // Waiters queued (incremented before a waiter re-checks _free, read by Release after it adds to _free:
    // both are interlocked, so either the waiter sees the permit or Release sees the waiter).
    private int _waiting;

    /// <summary>Test-only: a waiter cancelled while a release hands it a permit keeps that permit (a lost-permit bug).</summary>
    internal static bool PlantedBugDropCancelledWaitersSlot;

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
            AssertInvariants();
            while (_waiters.Count > 0 && TryTake())
            {
                var waiter = _waiters.Dequeue();
                Interlocked.Decrement(ref _waiting);
                if (!waiter.TrySetResult() && !PlantedBugDropCancelledWaitersSlot)
                {
                    Interlocked.Increment(ref _free); // it was cancelled: the permit goes to the next one
                }

                waiter.Registration.Dispose();
            }
        }
    }

    /// <summary>Completes when the caller holds one permit; cancelled (holding none) when <paramref name="cancellationToken"/> fires first.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (TryTake())
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            AssertInvariants();
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

    /// <summary>Checked on entering the lock (as System.Threading.Channels does): permits stay within the bound, and the
    /// waiter count Release reads without the lock equals the queue (both change only under the lock).</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        var free = Volatile.Read(ref _free);
        Debug.Assert(free >= 0 && free <= _bound, $"free permits {free} within [0, {_bound}]");
        Debug.Assert(Volatile.Read(ref _waiting) == _waiters.Count, "waiting counter equals the waiter queue");
    }

    private sealed class Waiter() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public CancellationTokenRegistration Registration { get; set; }
    }
}
