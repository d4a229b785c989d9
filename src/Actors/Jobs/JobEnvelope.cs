using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>
/// One accepted job on its way through a pool. Its outcome is settled exactly once: whoever moves the state to
/// Finished first (the worker with a result or failure, the supervisor with a cancel, a caller's token) delivers
/// the outcome and counts it; everyone else's attempt is a no-op.
/// </summary>
internal abstract class JobEnvelope
{
    private const int Pending = 0;
    private const int Running = 1;
    private const int Finished = 2;

    // Written by CAS from any thread (see the class remarks).
    private int _state;

    protected JobEnvelope(long id, PoolCounters counters)
    {
        Id = id;
        Counters = counters;
    }

    public long Id { get; }

    /// <summary>Failures so far (owned by the worker running it, then by the supervisor re-queueing it).</summary>
    public int Failures { get; set; }

    /// <summary>The worker that last failed this job, so a retry prefers another one (-1 = none).</summary>
    public int LastWorker { get; set; } = -1;

    /// <summary>Whether it still holds one backlog slot (supervisor only).</summary>
    public bool HoldsSlot { get; set; }

    public bool IsFinished => Volatile.Read(ref _state) == Finished;

    protected PoolCounters Counters { get; }

    /// <summary>Runs the job on a worker's state and settles it as completed; throws what the job throws.</summary>
    public abstract void Execute(object? state, Func<object?, object, object?>? handle, IActorRef pool);

    public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Pending) == Pending;

    /// <summary>Puts a running job back to pending for a retry; false when someone cancelled it meanwhile.</summary>
    public bool TryRequeue() => Interlocked.CompareExchange(ref _state, Pending, Running) == Running;

    public bool TryFail(Exception cause, IActorRef pool)
    {
        if (!TryFinish(anyState: true))
        {
            return false;
        }

        Counters.AddFailed();
        OnFailed(cause, pool);
        return true;
    }

    public bool TryReject(string reason, IActorRef pool)
    {
        if (!TryFinish(anyState: false))
        {
            return false;
        }

        Counters.AddRejected();
        OnRejected(reason, pool);
        return true;
    }

    /// <summary>Cancels the job; a running job is cancelled only when <paramref name="evenIfRunning"/> (its result is then discarded).</summary>
    public bool TryCancel(string reason, Exception? cause, IActorRef pool, bool evenIfRunning)
    {
        if (!TryFinish(evenIfRunning))
        {
            return false;
        }

        Counters.AddCancelled();
        OnCancelled(reason, cause, pool);
        return true;
    }

    protected bool TryComplete()
    {
        if (!TryFinish(anyState: true))
        {
            return false;
        }

        Counters.AddCompleted();
        return true;
    }

    protected abstract void OnFailed(Exception cause, IActorRef pool);

    protected abstract void OnRejected(string reason, IActorRef pool);

    protected abstract void OnCancelled(string reason, Exception? cause, IActorRef pool);

    private bool TryFinish(bool anyState)
    {
        if (!anyState)
        {
            return Interlocked.CompareExchange(ref _state, Finished, Pending) == Pending;
        }

        var seen = Volatile.Read(ref _state);
        while (seen != Finished)
        {
            var previous = Interlocked.CompareExchange(ref _state, Finished, seen);
            if (previous == seen)
            {
                return true;
            }

            seen = previous;
        }

        return false;
    }
}
