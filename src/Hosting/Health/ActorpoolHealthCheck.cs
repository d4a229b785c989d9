using Actorpool.Actors.Metrics;
using Actorpool.Actors.Supervision;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting.Health;

/// <summary>
/// Reports the host's pools of every kind: unhealthy when one was killed (a dynamic pool: panicked), has stopped or never started; degraded while one restarts
/// workers at or above <see cref="ActorpoolOptions.HealthRestartThreshold"/> per <see cref="ActorpoolOptions.HealthRestartWindow"/>.
/// </summary>
internal sealed class ActorpoolHealthCheck(ActorpoolRegistration registration, IOptions<ActorpoolOptions> options, TimeProvider time) : IHealthCheck
{
    private readonly Lock _gate = new();

    // Per pool: the restarts seen by earlier checks, and the window they were recorded in when seen; guarded by _gate.
    private readonly Dictionary<string, (long Seen, RestartWindow Window)> _restarts = new(StringComparer.Ordinal);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        foreach (var pool in registration.Pools)
        {
            if (!pool.IsStarted)
            {
                unhealthy.Add($"{pool.Kind} pool '{pool.Name}' is not running");
                continue;
            }

            var stats = await pool.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            data[pool.Name] = stats;
            if (stats.Killed)
            {
                unhealthy.Add(pool.Kind == PoolKinds.Dynamic
                    ? $"{pool.Kind} pool '{pool.Name}' panicked: a worker threw"
                    : $"{pool.Kind} pool '{pool.Name}' was killed by its panic policy");
            }
            else if (pool.Completion.IsCompleted)
            {
                unhealthy.Add($"{pool.Kind} pool '{pool.Name}' has stopped");
            }
            else if (RecentRestarts(pool.Name, stats.Restarts, settings.HealthRestartWindow) is var recent && recent >= settings.HealthRestartThreshold)
            {
                degraded.Add($"{pool.Kind} pool '{pool.Name}' restarted {recent} workers within {settings.HealthRestartWindow}");
            }
        }

        return unhealthy.Count > 0 ? new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", unhealthy), data: data)
            : degraded.Count > 0 ? HealthCheckResult.Degraded(string.Join("; ", degraded), data: data)
            : HealthCheckResult.Healthy($"{registration.Pools.Count} pools running", data);
    }

    /// <summary>
    /// The pool's restarts seen by checks less than <paramref name="window"/> ago, this one included (the pool's own
    /// restart window, fed with what each check sees). Restarts before the first check count as recent: a crash loop
    /// at start-up is reported at once.
    /// </summary>
    private long RecentRestarts(string pool, long restarts, TimeSpan window)
    {
        lock (_gate)
        {
            if (!_restarts.TryGetValue(pool, out var seen))
            {
                seen = (0, new RestartWindow(window, max: null, time));
            }

            _restarts[pool] = (restarts, seen.Window);
            return seen.Window.Record(restarts - seen.Seen);
        }
    }
}
