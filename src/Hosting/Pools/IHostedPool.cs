using Actorpool.Actors.Pools;
using Actorpool.Hosting.Configuration;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>The hosted service's non-generic view of a registered pool: build, start, drain, observe.</summary>
internal interface IHostedPool
{
    string Name { get; }

    Type StateType { get; }

    bool IsStarted { get; }

    /// <summary>Completes when the running pool's actor terminated; never completes before the start.</summary>
    Task Completion { get; }

    /// <summary>Builds and validates the final options (code, then configuration); throws ArgumentException naming the bad value.</summary>
    void CheckOptions(IServiceProvider services, PoolSettings? settings);

    /// <summary>Why the panic policy killed the running pool; <c>null</c> while it was not killed.</summary>
    Exception? KillCause { get; }

    /// <summary>The running pool's actor (the supervisor); throws before the start.</summary>
    IActorRef Ref { get; }

    /// <summary>The keys it is registered under in Akka.Hosting's ActorRegistry once started (added by the builder).</summary>
    List<Type> RegistryKeys { get; }

    /// <summary>Spawns the pool and waits until every first worker has tried its Init; returns its first stats.</summary>
    Task<PoolStats> StartAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken);

    /// <summary>Faults every caller waiting for the start.</summary>
    void FailStart(Exception cause);

    /// <summary>Drains the started pool; <c>null</c> = no deadline.</summary>
    Task<PoolStopReport> DrainAsync(TimeSpan? deadline);

    Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken);
}
