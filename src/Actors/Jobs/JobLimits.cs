namespace Actorpool.Actors.Jobs;

/// <summary>
/// What bounds a pool's Task-facade jobs besides their callers' tokens (one instance per pool, shared by its jobs):
/// the default timeout (from the start of a job's code, on the pool's clock; null = none) and the pool's cut-off
/// token, which fires when a kill, a stop deadline or the pool's own stop cuts off the jobs still running.
/// </summary>
internal sealed class JobLimits(TimeSpan? timeout, TimeProvider time, CancellationToken cutOff)
{
    /// <summary>No timeout, the system clock, no cut-off: for jobs made outside a pool (tests, probes).</summary>
    public static JobLimits None { get; } = new(null, TimeProvider.System, CancellationToken.None);

    public TimeSpan? Timeout { get; } = timeout;

    public TimeProvider Time { get; } = time;

    public CancellationToken CutOff { get; } = cutOff;
}
