using Actorpool.Hosting.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Actorpool's health check to ASP.NET Core / generic-host health checks.</summary>
public static class ActorpoolHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of every hosted pool: unhealthy (or <paramref name="failureStatus"/>) when a pool was killed, has stopped or
    /// is not running; degraded while a pool restarts workers beyond <c>ActorpoolOptions.HealthRestartThreshold</c>.
    /// Requires <c>AddActorpool</c>.
    /// </summary>
    public static IHealthChecksBuilder AddActorpool(
        this IHealthChecksBuilder builder,
        string name = "actorpool",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<ActorpoolHealthCheck>(), failureStatus, tags));
    }
}
