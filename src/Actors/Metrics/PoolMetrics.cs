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
/// Nothing is measured or captured while nobody listens. A pool given a meter factory
/// (<see cref="Pools.PoolOptions{TState}.MeterFactory"/>; a hosted pool gets the host's <see cref="IMeterFactory"/>) reports
/// the same instruments to the "Actorpool" meter that factory makes instead of <see cref="Meter"/>; the activity source
/// is always this one.
/// </summary>
public static class PoolMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Actorpool";

    /// <summary>The process-wide meter: every pool given no meter factory reports to it.</summary>
    public static Meter Meter { get; } = new(MeterName);

    /// <summary>The activity source every pool's jobs report to (named as the meter).</summary>
    public static ActivitySource ActivitySource { get; } = new(MeterName);

    /// <summary>The instruments of <see cref="Meter"/>: those of every pool given no meter factory.</summary>
    internal static PoolInstruments Instruments { get; } = PoolInstruments.For(Meter);
}
