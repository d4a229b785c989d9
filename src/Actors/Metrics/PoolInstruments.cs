using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Actorpool.Actors.Metrics;

/// <summary>
/// The instruments of one <see cref="Meter"/> that pools report to (see <see cref="PoolMetrics"/> for their names),
/// made once per meter, and the live pools its observable gauges report. A pool's counters hold the set of the meter
/// the pool was given (<see cref="Pools.PoolOptions{TState}.MeterFactory"/>), or <see cref="Default"/>, the set of the
/// process-wide <see cref="PoolMetrics.Meter"/>; a job's path reads the instruments through them, never a lookup.
/// </summary>
internal sealed class PoolInstruments
{
    // One set per meter: a meter from an IMeterFactory is shared by every pool given that factory (the factory
    // returns one meter per name), and dropped with the meter.
    private static readonly ConditionalWeakTable<Meter, PoolInstruments> ByMeter = new();

    // Live pools of this meter, read by the observable gauges' callbacks; written when a pool starts and stops.
    private readonly ConcurrentDictionary<PoolCounters, byte> _live = new();

    private PoolInstruments(Meter meter)
    {
        Meter = meter;
        Submitted = meter.CreateCounter<long>("actorpool.jobs.submitted", "{job}", "Jobs submitted to a pool.");
        Completed = meter.CreateCounter<long>("actorpool.jobs.completed", "{job}", "Jobs that returned a result.");
        Failed = meter.CreateCounter<long>("actorpool.jobs.failed", "{job}", "Jobs whose failure was reported.");
        Rejected = meter.CreateCounter<long>("actorpool.jobs.rejected", "{job}", "Jobs refused by a pool.");
        Cancelled = meter.CreateCounter<long>("actorpool.jobs.cancelled", "{job}", "Jobs cancelled by a pool or their caller.");
        QueueWait = meter.CreateHistogram<double>("actorpool.job.queue_wait", "s", "Time from a job's submission to the start of its code.");
        RunTime = meter.CreateHistogram<double>("actorpool.job.run_time", "s", "Time from the start of a job's code to its end (an async job's task included).");
        Restarts = meter.CreateCounter<long>("actorpool.workers.restarts", "{restart}", "Worker restarts made by a panic policy.");
        meter.CreateObservableGauge("actorpool.pool.busy", () => Observe(c => c.Busy), "{worker}", "Workers with a job.");
        meter.CreateObservableGauge("actorpool.pool.idle", () => Observe(c => c.Idle), "{worker}", "Ready workers without a job.");
        meter.CreateObservableGauge("actorpool.pool.backlog", () => Observe(c => c.Backlog), "{job}", "Jobs waiting in a pool.");
        meter.CreateObservableGauge("actorpool.pool.workers", () => Observe(c => c.Workers), "{worker}", "Workers alive in a pool.");
    }

    /// <summary>The instruments of the process-wide <see cref="PoolMetrics.Meter"/>: those of a pool given no meter factory.</summary>
    public static PoolInstruments Default => PoolMetrics.Instruments;

    public Meter Meter { get; }

    public Counter<long> Submitted { get; }

    public Counter<long> Completed { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> Cancelled { get; }

    public Histogram<double> QueueWait { get; }

    public Histogram<double> RunTime { get; }

    public Counter<long> Restarts { get; }

    /// <summary>The set of <paramref name="meter"/>, made on first use.</summary>
    public static PoolInstruments For(Meter meter) => ByMeter.GetValue(meter, static m => new PoolInstruments(m));

    /// <summary>
    /// The set of the "Actorpool" meter that <paramref name="factory"/> makes (the factory's meters are scoped to it: a
    /// host's factory gives that host's meter), or <see cref="Default"/> when there is no factory.
    /// </summary>
    public static PoolInstruments For(IMeterFactory? factory) =>
        factory is null ? Default : For(factory.Create(new MeterOptions(PoolMetrics.MeterName)));

    /// <summary>Reports <paramref name="counters"/> in this meter's gauges until <see cref="Unregister"/>.</summary>
    public void Register(PoolCounters counters) => _live.TryAdd(counters, 0);

    public void Unregister(PoolCounters counters) => _live.TryRemove(counters, out _);

    private IEnumerable<Measurement<int>> Observe(Func<PoolCounters, int> read)
    {
        foreach (var counters in _live.Keys)
        {
            counters.Sample?.Invoke();
            yield return new Measurement<int>(read(counters), counters.Tags);
        }
    }
}
