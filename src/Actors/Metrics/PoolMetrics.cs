using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Actorpool.Actors.Metrics;

/// <summary>
/// The <see cref="System.Diagnostics.Metrics.Meter"/> named "Actorpool". Every measurement is tagged with the pool's
/// name (<c>pool</c>) and kind (<c>pool.kind</c>: actor, dynamic or updown, see <see cref="PoolKinds"/>): job counters
/// (<c>actorpool.jobs.submitted</c>, <c>.completed</c>, <c>.failed</c>, <c>.rejected</c>, <c>.cancelled</c>,
/// <c>actorpool.workers.restarts</c>) and observable gauges per pool (<c>actorpool.pool.busy</c>, <c>.idle</c>,
/// <c>.backlog</c>, <c>.workers</c>), histograms of a job's time in the queue and on its worker in seconds
/// (<c>actorpool.job.queue_wait</c>, <c>actorpool.job.run_time</c>), and the <see cref="ActivitySource"/> of the same name,
/// whose <c>actorpool.job</c> activity wraps each job on its worker, parented to the caller's activity at submit.
/// Nothing is measured or captured while nobody listens.
/// </summary>
public static class PoolMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Actorpool";

    /// <summary>The meter every pool reports to.</summary>
    public static Meter Meter { get; } = new(MeterName);

    internal static Counter<long> Submitted { get; } = Meter.CreateCounter<long>("actorpool.jobs.submitted", "{job}", "Jobs submitted to a pool.");

    internal static Counter<long> Completed { get; } = Meter.CreateCounter<long>("actorpool.jobs.completed", "{job}", "Jobs that returned a result.");

    internal static Counter<long> Failed { get; } = Meter.CreateCounter<long>("actorpool.jobs.failed", "{job}", "Jobs whose failure was reported.");

    internal static Counter<long> Rejected { get; } = Meter.CreateCounter<long>("actorpool.jobs.rejected", "{job}", "Jobs refused by a pool.");

    internal static Counter<long> Cancelled { get; } = Meter.CreateCounter<long>("actorpool.jobs.cancelled", "{job}", "Jobs cancelled by a pool or their caller.");

    /// <summary>The activity source every pool's jobs report to (named as the meter).</summary>
    public static ActivitySource ActivitySource { get; } = new(MeterName);

    internal static Histogram<double> QueueWait { get; } = Meter.CreateHistogram<double>("actorpool.job.queue_wait", "s", "Time from a job's submission to the start of its code.");

    internal static Histogram<double> RunTime { get; } = Meter.CreateHistogram<double>("actorpool.job.run_time", "s", "Time from the start of a job's code to its end (an async job's task included).");

    internal static Counter<long> Restarts { get; } = Meter.CreateCounter<long>("actorpool.workers.restarts", "{restart}", "Worker restarts made by a panic policy.");

    // Live pools, read by the observable gauges' callbacks; written when a pool starts and stops.
    private static readonly ConcurrentDictionary<PoolCounters, byte> Live = new();

    static PoolMetrics()
    {
        Meter.CreateObservableGauge("actorpool.pool.busy", () => Observe(c => c.Busy), "{worker}", "Workers with a job.");
        Meter.CreateObservableGauge("actorpool.pool.idle", () => Observe(c => c.Idle), "{worker}", "Ready workers without a job.");
        Meter.CreateObservableGauge("actorpool.pool.backlog", () => Observe(c => c.Backlog), "{job}", "Jobs waiting in a pool.");
        Meter.CreateObservableGauge("actorpool.pool.workers", () => Observe(c => c.Workers), "{worker}", "Workers alive in a pool.");
    }

    internal static void Register(PoolCounters counters) => Live.TryAdd(counters, 0);

    internal static void Unregister(PoolCounters counters) => Live.TryRemove(counters, out _);

    private static IEnumerable<Measurement<int>> Observe(Func<PoolCounters, int> read)
    {
        foreach (var counters in Live.Keys)
        {
            counters.Sample?.Invoke();
            yield return new Measurement<int>(read(counters), counters.Tags);
        }
    }
}
