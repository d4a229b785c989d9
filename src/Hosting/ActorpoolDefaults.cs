namespace Actorpool.Hosting;

/// <summary>The defaults of the hosting layer, in one place (a test pins them).</summary>
public static class ActorpoolDefaults
{
    /// <summary>The configuration section <see cref="IActorpoolBuilder.BindConfiguration"/> reads by default.</summary>
    public const string SectionName = "Actorpool";

    /// <summary>The name of the actor system the host creates.</summary>
    public const string SystemName = "actorpool";

    /// <summary>Restarts within the health window at which a pool is degraded.</summary>
    public const int HealthRestartThreshold = 5;

    /// <summary>The window the health check counts restarts in.</summary>
    public static TimeSpan HealthRestartWindow { get; } = TimeSpan.FromMinutes(1);

    /// <summary>The share of the host's shutdown timeout kept for terminating the actor system after the drain.</summary>
    public const double TerminationShare = 0.2;
}
