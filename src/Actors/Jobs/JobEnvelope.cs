using System.Diagnostics;
using System.ComponentModel;
using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>
/// A job on its way through a pool: a <see cref="Submit"/> message, or a job of the Task facade. Its outcome is
/// settled exactly once: whoever moves the state to Finished first (the worker with a result or failure, the
/// supervisor with a cancel, a caller's token) delivers the outcome and counts it; everyone else's attempt is a
/// no-op. Public only because the public <see cref="Submit"/> message derives from it (a pool claims a Submit in
/// place, with no wrapper); it has no public members or constructor and is hidden from IntelliSense. It never
/// crosses a process (it holds the caller's closure and the pool's claim), so Akka's serialize-messages check skips it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class JobEnvelope : INoSerializationVerificationNeeded
{
    private const int Pending = 0;
    private const int Running = 1;
    private const int Finished = 2;

    // Written by CAS from any thread (see the class remarks).
    private int _state;

    // The counters of the pool that accepted the job: set at construction, or (a Submit) by the pool that claims it.
    private PoolCounters? _counters;

    /// <summary>A job; when <paramref name="counters"/> are given it is a pool's job from now on, and counted submitted.</summary>
    private protected JobEnvelope(long id, PoolCounters? counters)
    {
        Id = id;
        _counters = counters;
        counters?.AddSubmitted(); // the one place a job is counted submitted (see also TryBind)

        // Only while someone listens: the caller's activity (the job's parent) and the submit time (its queue wait);
        // nothing at all (no allocation) when there is neither. A Submit, made before any pool has it, checks the
        // process-wide meter here and its pool's meter when bound.
#if !ACTORPOOL_NO_TRACING
        var queueWait = (counters?.Instruments ?? PoolInstruments.Default).QueueWait.Enabled;
        var caller = PoolMetrics.ActivitySource.HasListeners() ? Activity.Current : null;
        if (caller is not null || queueWait)
        {
            Observed = new JobObservation(caller, queueWait ? Stopwatch.GetTimestamp() : 0);
        }
#endif
    }

    /// <summary>
    /// What was captured for tracing when the job was made (or, for a Submit whose pool's meter measures the queue wait
    /// and the process-wide one did not, when a pool bound it); null (most jobs) when nobody listened. Written before
    /// the job is handed on.
    /// </summary>
    internal JobObservation? Observed { get; private set; }

    /// <summary>The instruments of the meter of the pool that accepted the job.</summary>
    internal PoolInstruments Instruments => _counters!.Instruments;

    internal long Id { get; }

    /// <summary>Failures so far (owned by the worker running it, then by the supervisor re-queueing it).</summary>
    internal int Failures { get; set; }

    /// <summary>The worker that last failed this job, so a retry prefers another one (-1 = none).</summary>
    internal int LastWorker { get; set; } = -1;

    /// <summary>Whether it still holds one backlog permit (supervisor only).</summary>
    internal bool HoldsPermit { get; set; }

    internal bool IsFinished => Volatile.Read(ref _state) == Finished;

    /// <summary>The counters of the pool that accepted the job (set before it is first handed on).</summary>
    private protected PoolCounters Counters => _counters!;

    /// <summary>
    /// Runs the job on a worker's state and settles it as completed; throws what the job throws. Returns null when the
    /// job ended here, or the task of an asynchronous job still running: it completes (settling the job) or faults with
    /// what the job threw, and the worker stays the job's until then.
    /// </summary>
    internal abstract Task? Execute(object? state, JobHandlers handlers, IActorRef pool);

    /// <summary>Whether the job's code is asynchronous (with <paramref name="handlers"/>, the pool's functions for job messages).</summary>
    internal abstract bool IsAsync(JobHandlers handlers);

    /// <summary>
    /// Settles the job as cancelled when <paramref name="failure"/> is the job observing its own cancellation token
    /// (so it is no failure for the panic policy); false for anything else.
    /// </summary>
    internal virtual bool TryEndCancelled(Exception failure, IActorRef pool) => false;

    /// <summary>
    /// Binds the job to a pool's counters, counting it submitted there, unless it is bound already (the first claim of
    /// a <see cref="Submit"/> wins; a later pool wraps it in a job of its own, counted by the constructor).
    /// </summary>
    private protected bool TryBind(PoolCounters counters)
    {
        if (Interlocked.CompareExchange(ref _counters, counters, null) is not null)
        {
            return false;
        }

        counters.AddSubmitted();

        // The pool reports to a meter of its own that measures the queue wait: it counts from the bind (on the
        // sender's thread when the pool's intake claims it, at the Tell) if the Submit's making did not count.
#if !ACTORPOOL_NO_TRACING
        if (Observed is not { SubmittedAt: > 0 } && counters.Instruments.QueueWait.Enabled)
        {
            Observed = new JobObservation(Observed?.Caller, Stopwatch.GetTimestamp());
        }
#endif

        return true;
    }

    internal bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Pending) == Pending;

    /// <summary>Puts a running job back to pending for a retry; false when someone cancelled it meanwhile.</summary>
    internal bool TryRequeue() => Interlocked.CompareExchange(ref _state, Pending, Running) == Running;

    internal bool TryFail(Exception cause, IActorRef pool)
    {
        if (!TryFinish(anyState: true))
        {
            return false;
        }

        Counters.AddFailed();
        OnFailed(cause, pool);
        return true;
    }

    internal bool TryReject(string reason, IActorRef pool)
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
    internal bool TryCancel(string reason, Exception? cause, IActorRef pool, bool evenIfRunning) =>
        TryCancel(reason, cause, pool, evenIfRunning, out _);

    /// <summary>
    /// Cancels the job as <see cref="TryCancel(string, Exception?, IActorRef, bool)"/> does; <paramref name="wasRunning"/>
    /// tells whether its code was running (it keeps its worker until it returns; a job with a token sees it fire).
    /// </summary>
    internal bool TryCancel(string reason, Exception? cause, IActorRef pool, bool evenIfRunning, out bool wasRunning)
    {
        if (!TryFinish(evenIfRunning, out wasRunning))
        {
            return false;
        }

        Counters.AddCancelled();
        OnCancelled(reason, cause, pool);
        return true;
    }

    /// <summary>The job ended completed (not cut off while its code ran).</summary>
    internal bool WasCompleted { get; private set; }

    private protected bool TryComplete()
    {
        if (!TryFinish(anyState: true))
        {
            return false;
        }

        WasCompleted = true;

        Counters.AddCompleted();
        return true;
    }

    /// <summary>
    /// Completes a message job with its code's result once <paramref name="running"/> has it, telling
    /// <paramref name="replyTo"/> (if any) a <see cref="JobCompleted"/>: at once (null) when the code ended here, else
    /// through the returned task, which faults with what the code threw.
    /// </summary>
    private protected Task? CompleteWith(ValueTask<object?> running, IActorRef? replyTo, IActorRef pool)
    {
        if (!running.IsCompleted)
        {
            JobStepContext.RunHeldStep(); // a job that only yielded may end here
        }

        if (!running.IsCompleted)
        {
            return CompleteLaterAsync(running, replyTo, pool);
        }

        Complete(running.Result, replyTo, pool);
        return null;
    }

    private protected abstract void OnFailed(Exception cause, IActorRef pool);

    private async Task CompleteLaterAsync(ValueTask<object?> running, IActorRef? replyTo, IActorRef pool) =>
        Complete(await running.ConfigureAwait(false), replyTo, pool);

    private void Complete(object? result, IActorRef? replyTo, IActorRef pool)
    {
        if (TryComplete())
        {
            replyTo?.Tell(new JobCompleted(Id, result), pool);
        }
    }

    private protected abstract void OnRejected(string reason, IActorRef pool);

    private protected abstract void OnCancelled(string reason, Exception? cause, IActorRef pool);

    private bool TryFinish(bool anyState) => TryFinish(anyState, out _);

    private bool TryFinish(bool anyState, out bool wasRunning)
    {
        wasRunning = false;
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
                wasRunning = seen == Running;
                return true;
            }

            seen = previous;
        }

        return false;
    }
}

/// <summary>What a job's trace needs from its submission: the submitter's activity (its parent) and the submit time.</summary>
/// <param name="Caller">The submitter's activity, or null when no activity listener was attached or the submitter had none.</param>
/// <param name="SubmittedAt">When the job was made (<see cref="Stopwatch"/> ticks), 0 when nobody measured the queue wait.</param>
internal sealed record JobObservation(Activity? Caller, long SubmittedAt);
