using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting.Health;

/// <summary>
/// Reports the host's pools: unhealthy when one was killed, has stopped or never started; degraded while one restarts
/// workers at or above <see cref="ActorpoolOptions.HealthRestartThreshold"/> per <see cref="ActorpoolOptions.HealthRestartWindow"/>.
/// </summary>
internal sealed class ActorpoolHealthCheck(ActorpoolRegistration registration, IOptions<ActorpoolOptions> options, TimeProvider time) : IHealthCheck
{
    private readonly Lock _gate = new();

    // Restart samples per pool, oldest first; guarded by _gate. The first sample of each pool is (first check, its restarts then).
    private readonly Dictionary<string, Queue<(DateTimeOffset At, long Restarts)>> _samples = new(StringComparer.Ordinal);

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
                unhealthy.Add($"pool '{pool.Name}' is not running");
                continue;
            }

            var stats = await pool.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            data[pool.Name] = stats;
            if (stats.Killed)
            {
                unhealthy.Add($"pool '{pool.Name}' was killed by its panic policy");
            }
            else if (pool.Completion.IsCompleted)
            {
                unhealthy.Add($"pool '{pool.Name}' has stopped");
            }
            else if (RecentRestarts(pool.Name, stats.Restarts, settings.HealthRestartWindow) is var recent && recent >= settings.HealthRestartThreshold)
            {
                degraded.Add($"pool '{pool.Name}' restarted {recent} workers within {settings.HealthRestartWindow}");
            }
        }

        return unhealthy.Count > 0 ? new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", unhealthy), data: data)
            : degraded.Count > 0 ? HealthCheckResult.Degraded(string.Join("; ", degraded), data: data)
            : HealthCheckResult.Healthy($"{registration.Pools.Count} pools running", data);
    }

    /// <summary>Restarts since the latest sample at or before the window's start (or since the first check).</summary>
    private long RecentRestarts(string pool, long restarts, TimeSpan window)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_samples.TryGetValue(pool, out var samples))
            {
                // Restarts before the first check count as recent: a crash loop at start-up is reported at once.
                _samples[pool] = samples = new Queue<(DateTimeOffset, long)>();
                samples.Enqueue((now, 0));
            }

            samples.Enqueue((now, restarts));
            while (samples.Count > 1 && samples.ElementAt(1).At <= now - window)
            {
                samples.Dequeue();
            }

            return restarts - samples.Peek().Restarts;
        }
    }
}
