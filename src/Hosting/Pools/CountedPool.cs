using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// A pool kind without a supervisor, measured by counters the host gives it (dynamic and up/down pools): its gauges
/// are sampled from the pool when read, and its stop cannot cut running work off, so a drain's deadline only ends the
/// waiting (the stop goes on, and every job still gets its outcome).
/// </summary>
internal abstract class CountedPool : IManagedPool
{
    protected CountedPool(PoolCounters counters) => Counters = counters;

    public string Name => Counters.Name;

    public abstract string Kind { get; }

    public abstract Task Completion { get; }

    protected PoolCounters Counters { get; }

    /// <summary>Work still running, reported when a drain's deadline passed before the stop ended.</summary>
    protected abstract int Running { get; }

    public async Task<PoolStopReport> DrainAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        var stop = BeginStop();
        var reached = false;
        try
        {
            await (deadline is { } limit ? stop.WaitAsync(limit, cancellationToken) : stop.WaitAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            reached = true;
        }

        Sample();
        return Counters.Report(deadlineReached: reached, runningWhenCutOff: reached ? Running : 0);
    }

    public Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Sample();
        return Task.FromResult(Counters.Snapshot());
    }

    /// <summary>Starts the pool's stop (once; later calls join it) and returns what completes when it has ended.</summary>
    protected abstract Task BeginStop();

    /// <summary>Writes the gauges from the pool; called by any thread that reads them.</summary>
    protected abstract void Sample();

    /// <summary>
    /// Reports the counters to their meter (the host's, or the process-wide one) until <see cref="Unregister"/>; called last by the derived
    /// constructor, once <see cref="Sample"/> can read the pool.
    /// </summary>
    protected void Publish()
    {
        Counters.Sample = Sample;
        Counters.Instruments.Register(Counters);
    }

    /// <summary>Stops reporting to the meter: the pool has ended.</summary>
    protected void Unregister() => Counters.Instruments.Unregister(Counters);
}
