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

    /// <summary>
    /// The CoordinatedShutdown phase the drain runs in when the actor system shuts down: <c>service-requests-done</c>,
    /// Akka's phase for "wait for requests in progress to complete". It comes after <c>service-unbind</c> (endpoints stop
    /// taking new work) and before <c>service-stop</c> and the cluster phases, so the jobs finish on a running system.
    /// </summary>
    public static string DrainPhase { get; } = "service-requests-done";

    /// <summary>
    /// The timeout <c>WithActorpool()</c> (and the host, for a system it creates) gives <see cref="DrainPhase"/> unless the HOCON sets one: the generic host's
    /// default shutdown timeout, so that the drain's own deadline, not Akka's 5 s phase default, decides.
    /// </summary>
    public static TimeSpan DrainPhaseTimeout { get; } = TimeSpan.FromSeconds(30);
}
