using Actorpool.Hosting.Configuration;

namespace Actorpool.Hosting;

/// <summary>
/// Settings of the hosted actor system, bound from the <c>Actorpool</c> configuration section by
/// <see cref="IActorpoolBuilder.BindConfiguration"/> and validated when the host starts.
/// </summary>
/// <remarks>
/// A mutable class, unlike the rest of Actorpool's options: the configuration binder and
/// <c>services.Configure&lt;ActorpoolOptions&gt;(...)</c> both need setters, as for the framework's own HostOptions.
/// </remarks>
public sealed class ActorpoolOptions
{
    /// <summary>The name of the actor system the host creates; ignored when the application registered its own.</summary>
    public string SystemName { get; set; } = ActorpoolDefaults.SystemName;

    /// <summary>Extra HOCON applied over Actorpool's defaults when the host creates the actor system; <c>null</c> = none.</summary>
    public string? Hocon { get; set; }

    /// <summary>
    /// How long stopping the host may spend draining pools; <c>null</c> = the host's own shutdown timeout
    /// minus a margin kept for terminating the actor system. Positive, at most <see cref="TimeLimits.MaxDelay"/>. When the
    /// actor system's CoordinatedShutdown starts the drain, the timeout of phase <see cref="ActorpoolDefaults.DrainPhase"/> caps it.
    /// </summary>
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary>Restarts within <see cref="HealthRestartWindow"/> at or above which a pool reports itself degraded.</summary>
    public int HealthRestartThreshold { get; set; } = ActorpoolDefaults.HealthRestartThreshold;

    /// <summary>The sliding window the health check counts restarts in; positive, at most <see cref="TimeLimits.MaxDelay"/>.</summary>
    public TimeSpan HealthRestartWindow { get; set; } = ActorpoolDefaults.HealthRestartWindow;

    /// <summary>Per-pool settings by pool name (case-insensitive); each names a pool registered in code.</summary>
    public Dictionary<string, PoolSettings> Pools { get; } = new(StringComparer.OrdinalIgnoreCase);
}
