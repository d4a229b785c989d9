namespace Actorpool.Hosting;

/// <summary>The defaults of the hosting layer, in one place (a test pins them); properties, not constants, so they are not compiled into callers.</summary>
public static class ActorpoolDefaults
{
    /// <summary>The configuration section <see cref="IActorpoolBuilder.BindConfiguration"/> reads by default.</summary>
    public static string SectionName { get; } = "Actorpool";

    /// <summary>The name of the actor system the host creates.</summary>
    public static string SystemName { get; } = "actorpool";

    /// <summary>Restarts within the health window at which a pool is degraded.</summary>
    public static int HealthRestartThreshold { get; } = 5;

    /// <summary>The window the health check counts restarts in.</summary>
    public static TimeSpan HealthRestartWindow { get; } = TimeSpan.FromMinutes(1);

    /// <summary>The share of the host's shutdown timeout kept for terminating the actor system after the drain.</summary>
    public static double TerminationShare { get; } = 0.2;
}
