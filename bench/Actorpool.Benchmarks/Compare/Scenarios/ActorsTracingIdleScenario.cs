using System.Diagnostics;
using System.Diagnostics.Metrics;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// What tracing costs 1M tiny <c>RunAsync</c> jobs through 2 workers, on one pool: with nothing listening (the peer:
/// every job pays only the listener checks), with an <see cref="ActivityListener"/> on the "Actorpool" source that
/// samples nothing (someone listens but records no job), and with one that records every job beside a
/// <see cref="MeterListener"/> on every instrument of the meter. The issue's row compares "no listener" with "tracing
/// code absent": that is this scenario's no-listener row in two builds, alternated (bench/README.md), the second
/// built with <c>-p:ActorpoolNoTracing=true</c>, which compiles the job path's tracing out (in that build the two
/// listener rows record nothing). Within one build the no-listener row is the peer the others are measured against,
/// and no row has a target. An ActivityListener that samples nothing still costs what <see cref="ActivitySource.StartActivity(string, ActivityKind, ActivityContext, IEnumerable{KeyValuePair{string, object}}, IEnumerable{ActivityLink}, DateTimeOffset)"/>
/// costs to ask its sampler, once per job.
/// </summary>
public sealed class ActorsTracingIdleScenario : Scenario
{
    private const int Jobs = 1_000_000;
    private const string Quiet = "Actorpool RunAsync, no listener";
    private const string SamplesNone = "Actorpool RunAsync, ActivityListener sampling None";
    private const string RecordsAll = "Actorpool RunAsync, Activity+MeterListener recording all";
    private readonly Latch _latch = new();
    private ActorSystem? _system;
    private PoolRef<Latch>? _pool;
    private long _recorded; // activities and measurements seen by the recording listeners (proof they recorded)

    public override string Name => "actors-tracing-idle";

    public override string Metric => "Mjobs/s";

    public override bool HigherIsBetter => true;

    public override string Target => "reported (the peer is the issue's no-listener row; code absent: a second build, bench/README.md)";

    public override int Trials(bool quick) => quick ? 5 : 9;

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem("tracing-idle");
        _pool = _system.SpawnPool(new PoolOptions<Latch> { Name = "pool", Workers = 2, Backlog = Jobs + 1, Init = _ => _latch });
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Quiet, true, Run),
        new(SamplesNone, false, () => WithListeners(ActivitySamplingResult.None, meters: false)),
        new(RecordsAll, false, () => WithListeners(ActivitySamplingResult.AllDataAndRecorded, meters: true)),
    ];

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));

    private double WithListeners(ActivitySamplingResult sampling, bool meters)
    {
        var before = Interlocked.Read(ref _recorded);
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PoolMetrics.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
            ActivityStopped = _ => Interlocked.Increment(ref _recorded),
        };
        ActivitySource.AddActivityListener(activities);
        using var measurements = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (meters && instrument.Meter.Name == PoolMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        measurements.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _recorded));
        measurements.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _recorded));
        measurements.Start();

        var rate = Run();
        var recorded = Interlocked.Read(ref _recorded) - before;
        if (sampling == ActivitySamplingResult.None ? recorded != 0 : recorded < Jobs)
        {
            throw new InvalidOperationException($"{sampling}: the listeners recorded {recorded} activities and measurements for {Jobs} jobs.");
        }

        return rate;
    }

    private double Run() => _latch.MillionsPerSecond(Jobs, _ => _pool!.RunAsync(Done));

    private static object? Done(Latch latch)
    {
        latch.Signal();
        return null;
    }
}
