using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using System.Diagnostics;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>Entry points: spawn a pool from an <see cref="ActorSystem"/> or, to nest it in a supervision tree, from an actor's <c>Context</c>.</summary>
public static class PoolExtensions
{
    // The longest Completion waits for a parent to free the pool's name after the pool terminated.
    private static readonly TimeSpan NameReleaseBound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Validates <paramref name="options"/> and spawns the pool supervisor as a child of <paramref name="factory"/>
    /// with its workers. When <paramref name="factory"/> is an actor's context, that actor is the pool's owner and
    /// gets <see cref="PoolFailed"/> if the pool is killed.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static PoolRef<TState> SpawnPool<TState>(this IActorRefFactory factory, PoolOptions<TState> options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var owner = factory is IActorContext context ? context.Self : null;
        var workersDispatcher = options.WorkersDispatcher;
        var supervisorDispatcher = options.SupervisorDispatcher ?? (options.OwnThreads ? WorkStealingDispatcher.Id : workersDispatcher);
        var mailbox = false;
        var system = factory as ActorSystem ?? (factory as IActorContext)?.System;
        if (system is not null)
        {
            UndeliveredJobs.EnsureListening(system);
            PoolMailbox.Register(system);
            mailbox = true;
            if (workersDispatcher == WorkStealingDispatcher.Id || supervisorDispatcher == WorkStealingDispatcher.Id)
            {
                WorkStealingDispatcher.Register(system);
            }

            if (options.OwnThreads)
            {
                OwnThreadsDispatcher.Register(system);
            }

            // An unknown id would surface as Akka's ConfigurationException from deep inside ActorOf.
            RequireDispatcher(system, nameof(options.Dispatcher), options.Dispatcher);
            RequireDispatcher(system, nameof(options.SupervisorDispatcher), options.SupervisorDispatcher);
        }

        var shared = new PoolShared(options.Name, options.Backlog, options.JobTimeout, options.TimeProvider, PoolInstruments.For(options.MeterFactory));
        var props = Props.Create(() => new PoolSupervisor<TState>(options, shared, owner))
            .WithDispatcher(supervisorDispatcher);
        if (mailbox)
        {
            props = props.WithMailbox(PoolMailbox.Id); // jobs reach the supervisor through its intake
        }

        var actor = factory.ActorOf(props, options.Name);
        var guardian = factory is ExtendedActorSystem extended ? extended.Guardian : null;
        _ = CompleteWhenNameIsFreeAsync(actor, guardian, system, shared);
        return new PoolRef<TState>(actor, shared);
    }

    private static void RequireDispatcher(ActorSystem system, string option, string? id)
    {
        if (id is not null && !system.Dispatchers.HasDispatcher(id))
        {
            throw new ArgumentException($"{option} must name a dispatcher configured in actor system '{system.Name}', was '{id}'.", option);
        }
    }

    /// <summary>
    /// Completes the pool's public Completion once its name can be taken again. Akka frees a child's name when the
    /// parent handles the child's termination (a system message, handled before the parent's next ordinary message),
    /// which may come a little after the pool's PostStop. For a pool spawned from the system, the parent is the user
    /// guardian, which never blocks: until its children no longer hold this pool, an <see cref="Identify"/> round trip
    /// lets it handle its system messages. A pool spawned from an actor's context skips this: that actor may itself be
    /// awaiting Completion and could not answer.
    /// </summary>
    private static async Task CompleteWhenNameIsFreeAsync(IActorRef pool, IActorRef? guardian, ActorSystem? system, PoolShared shared)
    {
        try
        {
            await shared.Terminated.Task.ConfigureAwait(false);
            var systemGone = system?.WhenTerminated ?? Task.Delay(Timeout.Infinite);
            if (guardian is ActorRefWithCell { Underlying: ActorCell cell })
            {
                // The parent hears of the termination only after PostStop returns and the dispatcher lets the actor go,
                // which can take a while on a busy machine: ask again (yielding after the first few rounds) until it has.
                // Bounded by the real clock, as a last resort only: a parent that never lets go must not hang Completion.
                var since = Stopwatch.GetTimestamp();
                for (var round = 0; HoldsChild(cell, pool) && !systemGone.IsCompleted && Stopwatch.GetElapsedTime(since) < NameReleaseBound; round++)
                {
                    await Task.WhenAny(guardian.Ask<ActorIdentity>(new Identify(null)), systemGone).ConfigureAwait(false);
                    if (round >= 10)
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An Ask that failed (the system shutting down) leaves nothing to wait for: the name went with it.
        }
        finally
        {
            shared.Completion.TrySetResult();
        }
    }

    /// <summary>The parent still lists <paramref name="child"/> (not a reservation or a newer child of the same name).</summary>
    private static bool HoldsChild(ActorCell parent, IActorRef child) =>
        parent.TryGetChildStatsByName(child.Path.Name, out var stats)
        && stats is Akka.Actor.Internal.ChildRestartStats restart
        && restart.Child.Path.Uid == child.Path.Uid;
}
