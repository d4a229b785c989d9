using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Hosting.Configuration;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>The hosted service's view of a registered pool of any kind: check, start, then manage it as an <see cref="IManagedPool"/>.</summary>
internal interface IHostedPool
{
    string Name { get; }

    /// <summary>The pool's kind (<see cref="PoolKinds"/>), known at registration.</summary>
    string Kind { get; }

    /// <summary>The handle type the pool is injectable as (named in the registry's cast errors).</summary>
    Type HandleType { get; }

    /// <summary>The <see cref="PoolSettings"/> properties this kind reads; a value set for any other fails the start.</summary>
    IReadOnlyList<string> SettingNames { get; }

    bool IsStarted { get; }

    /// <summary>Completes when the running pool has ended; never completes before the start.</summary>
    Task Completion { get; }

    /// <summary>The running pool.</summary>
    /// <exception cref="InvalidOperationException">The host has not started the pool (yet), or failed to.</exception>
    IManagedPool Managed { get; }

    /// <summary>Builds and validates the final options (code, then configuration); throws ArgumentException naming the bad value.</summary>
    void CheckOptions(IServiceProvider services, PoolSettings? settings);

    /// <summary>Why the panic policy killed the running pool; <c>null</c> while it was not killed.</summary>
    Exception? KillCause { get; }

    /// <summary>The running pool's actor (an actor pool's supervisor), put in Akka.Hosting's ActorRegistry; <c>null</c> for kinds that are not one actor, and before the start.</summary>
    IActorRef? Ref { get; }

    /// <summary>The keys it is registered under in Akka.Hosting's ActorRegistry once started (added by the builder).</summary>
    List<Type> RegistryKeys { get; }

    /// <summary>Starts the pool (an actor pool: waits until every first worker has tried its Init); returns its first stats.</summary>
    Task<PoolStats> StartAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken);

    /// <summary>Faults every caller waiting for the start.</summary>
    void FailStart(Exception cause);

    /// <summary>Drains the started pool; <c>null</c> = no deadline.</summary>
    Task<PoolStopReport> DrainAsync(TimeSpan? deadline);

    Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken);
}
