using Actorpool.Actors.Jobs;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>
/// A typed handle on a pool: its actor (<see cref="Ref"/>, for messages and death watch) and a Task facade for
/// code outside actors. Every job submitted here gets exactly one outcome; backpressure is by awaiting, never
/// by blocking a thread.
/// </summary>
/// <typeparam name="TState">The per-worker state jobs run on.</typeparam>
public sealed class PoolRef<TState>
{
    private readonly PoolShared _shared;
    private long _nextId;

    internal PoolRef(IActorRef actor, PoolShared shared)
    {
        Ref = actor;
        _shared = shared;
    }

    /// <summary>The pool supervisor actor: send it <see cref="Submit"/>, <see cref="PoolBroadcast"/>, <see cref="DrainPool"/> and the like, or watch it.</summary>
    public IActorRef Ref { get; }

    /// <summary>The pool's name (its actor name).</summary>
    public string Name => _shared.Name;

    /// <summary>
    /// Completes when the pool actor has terminated (after Drain, Stop, Kill or an outside stop) and, for a pool
    /// spawned from an <see cref="ActorSystem"/>, its name is free again: a pool of the same name can be spawned at once.
    /// (A pool spawned from an actor's context frees its name when that actor handles the termination, which Akka
    /// does before the actor's next message.)
    /// </summary>
    public Task Completion => _shared.Completion.Task;

    /// <summary>
    /// Completes when every worker the pool started with has tried its <c>Init</c> once: each built its state, or
    /// failed and the panic policy decided (a <see cref="Supervision.PanicKind.Kill"/> pool is killed by then, so
    /// <see cref="GetStatsAsync"/> reports <c>Killed</c>). Also completes if the pool stops first. Hosts wait for it
    /// before they report started.
    /// </summary>
    public Task Started => _shared.Started.Task;

    /// <summary>Why the panic policy killed the pool (the failure, or a <see cref="Supervision.RestartBudgetExceededException"/>); <c>null</c> if it was not killed.</summary>
    public Exception? KillCause => _shared.KillCause;

    /// <summary>
    /// Runs <paramref name="job"/> on a worker's state. Waits (asynchronously) while the backlog is full. The task
    /// completes with the result, faults with the job's exception, with <see cref="JobRejectedException"/> when the
    /// pool is stopping, or with <see cref="JobCancelledException"/> when the pool cancels it; it is cancelled when
    /// <paramref name="cancellationToken"/> fires before the job starts.
    /// </summary>
    public Task<TResult> RunAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        return _shared.Gate.TryTake() ? Send(job, cancellationToken) : RunWhenSpaceAsync(job, cancellationToken);
    }

    /// <summary>Runs <paramref name="job"/> on a worker's state; see <see cref="RunAsync{TResult}(Func{TState, TResult}, CancellationToken)"/>.</summary>
    public Task RunAsync(Action<TState> job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunAsync(
            state =>
            {
                job(state);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Submits <paramref name="job"/> only if the backlog has room, without waiting. Returns <c>false</c> (with
    /// <paramref name="result"/> faulted with <see cref="JobRejectedException"/>) when it is full or the pool is stopping.
    /// </summary>
    public bool TryRun<TResult>(Func<TState, TResult> job, out Task<TResult> result)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!_shared.IsClosing && _shared.Gate.TryTake())
        {
            result = Send(job, default);
            return true;
        }

        result = Reject(job, _shared.IsClosing ? StoppingReason : $"Pool '{Name}' backlog is full ({_shared.Backlog} jobs waiting).");
        return false;
    }

    /// <summary>Asks the pool for a snapshot of its counters; after the pool terminated, returns its final counters.</summary>
    public async Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        if (!_shared.Terminated.Task.IsCompleted)
        {
            var ask = Ref.Ask<PoolStats>(GetPoolStats.Instance, cancellationToken);
            if (await Task.WhenAny(ask, _shared.Terminated.Task).ConfigureAwait(false) == ask)
            {
                return await ask.ConfigureAwait(false);
            }
        }

        return _shared.Counters.Snapshot();
    }

    /// <summary>
    /// Accepts nothing new, finishes everything queued, then stops the pool; completes when it has stopped (and
    /// <see cref="Completion"/> with it) or the deadline passed (positive, at most <see cref="TimeLimits.MaxDelay"/>; <c>null</c> = no limit). Jobs that cannot
    /// run because the scale function allows no worker are cancelled with that reason rather than waited for.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The deadline is out of range.</exception>
    public Task<PoolStopReport> DrainAsync(TimeSpan? deadline = null) => StopCoreAsync(drain: true, deadline);

    /// <summary>
    /// Cancels every job not yet started, finishes the running ones, then stops the pool; completes when it has
    /// stopped (and <see cref="Completion"/> with it) or the deadline passed (positive, at most <see cref="TimeLimits.MaxDelay"/>; <c>null</c> = no limit).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The deadline is out of range.</exception>
    public Task<PoolStopReport> StopAsync(TimeSpan? deadline = null) => StopCoreAsync(drain: false, deadline);

    private string StoppingReason => $"Pool '{Name}' is stopping and accepts no new jobs.";

    private string TerminatedReason => $"Pool '{Name}' terminated before the job reached it.";

    private Task<TResult> Send<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken)
    {
        if (_shared.IsClosing)
        {
            _shared.Gate.Release();
            return Reject(job, StoppingReason);
        }

        var envelope = new TaskJob<TState, TResult>(Interlocked.Increment(ref _nextId), job, _shared.Counters) { HoldsPermit = true };
        envelope.RegisterCancellation(cancellationToken, Ref);
        Ref.Tell(envelope, ActorRefs.NoSender);

        // Akka delivers at most once: a Tell that reads the pool's mailbox just before the pool terminates and
        // enqueues into it just after Akka drained it to dead letters is dropped without a dead letter. The pool
        // sets Terminated in PostStop, before that drain and after its workers stopped, so a job seen unsettled
        // here once Terminated is set can never run: cancel it (a no-op when the pool or the dead-letter
        // listener settled it first).
        if (_shared.Terminated.Task.IsCompleted)
        {
            envelope.TryCancel(TerminatedReason, null, Ref, evenIfRunning: false);
        }

        return envelope.Task;
    }

    private async Task<TResult> RunWhenSpaceAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken)
    {
        var gotSpace = false;
        if (!_shared.IsClosing)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shared.Closing.Token);
            try
            {
                await _shared.Gate.WaitAsync(linked.Token).ConfigureAwait(false);
                gotSpace = true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The pool began stopping while this caller waited for space: it is rejected below.
            }
        }

        return gotSpace
            ? await Send(job, cancellationToken).ConfigureAwait(false)
            : await Reject(job, StoppingReason).ConfigureAwait(false);
    }

    private Task<TResult> Reject<TResult>(Func<TState, TResult> job, string reason)
    {
        var envelope = new TaskJob<TState, TResult>(Interlocked.Increment(ref _nextId), job, _shared.Counters);
        envelope.TryReject(reason, Ref);
        return envelope.Task;
    }

    private async Task<PoolStopReport> StopCoreAsync(bool drain, TimeSpan? deadline)
    {
        if (deadline is { } d)
        {
            TimeLimits.Check(nameof(deadline), d, TimeLimits.MaxDelay, positive: true);
        }

        if (!_shared.Terminated.Task.IsCompleted)
        {
            var reply = new TaskCompletionSource<PoolStopReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            Ref.Tell(new StopRequest(drain, deadline, reply), ActorRefs.NoSender);
            if (await Task.WhenAny(reply.Task, _shared.Terminated.Task).ConfigureAwait(false) == reply.Task || reply.Task.IsCompleted)
            {
                var report = await reply.Task.ConfigureAwait(false);

                // Without a deadline the report comes as the pool terminates: return once Completion has too, so a
                // caller may respawn the name at once. At a deadline the pool may still be finishing running jobs.
                if (!report.DeadlineReached)
                {
                    await Completion.ConfigureAwait(false);
                }

                return report;
            }
        }

        await Completion.ConfigureAwait(false);
        return _shared.Counters.Report(deadlineReached: false);
    }
}
