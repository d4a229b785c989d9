using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Supervision;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>Entry points: spawn a pool from an <see cref="ActorSystem"/> or, to nest it in a supervision tree, from an actor's <c>Context</c>.</summary>
public static class PoolExtensions
{
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
        var workersDispatcher = options.Dispatcher ?? WorkStealingDispatcher.Id;
        var supervisorDispatcher = options.SupervisorDispatcher ?? workersDispatcher;
        var mailbox = false;
        if ((factory as ActorSystem ?? (factory as IActorContext)?.System) is { } system)
        {
            UndeliveredJobs.EnsureListening(system);
            PoolMailbox.Register(system);
            mailbox = true;
            if (workersDispatcher == WorkStealingDispatcher.Id || supervisorDispatcher == WorkStealingDispatcher.Id)
            {
                WorkStealingDispatcher.Register(system);
            }
        }

        var shared = new PoolShared(options.Name, options.Backlog);
        var props = Props.Create(() => new PoolSupervisor<TState>(options, shared, owner))
            .WithDispatcher(supervisorDispatcher);
        if (mailbox)
        {
            props = props.WithMailbox(PoolMailbox.Id); // jobs reach the supervisor through its intake
        }

        var actor = factory.ActorOf(props, options.Name);
        return new PoolRef<TState>(actor, shared);
    }
}
