using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>
/// A typed handle on a pool: its actor (<see cref="Ref"/>, for messages and death watch) and a Task facade for
/// code outside actors. Every job submitted here gets exactly one outcome; backpressure is by awaiting, never
/// by blocking a thread.
/// </summary>
/// <typeparam name="TState">The per-worker state jobs run on.</typeparam>
public sealed partial class PoolRef<TState> : IManagedPool
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

    /// <inheritdoc />
    string IManagedPool.Kind => PoolKinds.Actor;

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
    /// <param name="deadline">When to cut off what is still queued or running.</param>
    /// <param name="cancellationToken">Cuts off what is still queued or running now, as a deadline would (the drain no longer waits).</param>
    /// <exception cref="ArgumentOutOfRangeException">The deadline is out of range.</exception>
    public Task<PoolStopReport> DrainAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default) =>
        StopCoreAsync(drain: true, deadline, cancellationToken);

    /// <summary>
    /// Cancels every job not yet started, finishes the running ones, then stops the pool; completes when it has
    /// stopped (and <see cref="Completion"/> with it) or the deadline passed (positive, at most <see cref="TimeLimits.MaxDelay"/>; <c>null</c> = no limit).
    /// </summary>
    /// <param name="deadline">When to cut off the jobs still running.</param>
    /// <param name="cancellationToken">Cuts off the jobs still running now, as a deadline would.</param>
    /// <exception cref="ArgumentOutOfRangeException">The deadline is out of range.</exception>
    public Task<PoolStopReport> StopAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default) =>
        StopCoreAsync(drain: false, deadline, cancellationToken);

    private async Task<PoolStopReport> StopCoreAsync(bool drain, TimeSpan? deadline, CancellationToken cancellationToken)
    {
        if (deadline is { } d)
        {
            TimeLimits.Check(nameof(deadline), d, TimeLimits.MaxDelay, positive: true);
        }

        if (!_shared.Terminated.Task.IsCompleted)
        {
            var reply = new TaskCompletionSource<PoolStopReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            Ref.Tell(new StopRequest(drain, deadline, reply), ActorRefs.NoSender);

            // After the request (one sender, so in order): the pool handles it as its deadline passing now.
            using var cutOff = cancellationToken.UnsafeRegister(static pool => ((IActorRef)pool!).Tell(PoolTick.Deadline, ActorRefs.NoSender), Ref);
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
