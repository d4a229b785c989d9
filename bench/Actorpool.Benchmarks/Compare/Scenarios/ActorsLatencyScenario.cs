using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>Round trip of one job through an idle pool, p50: Ask via a RoundRobinPool against RunAsync and Ask(Submit).</summary>
public sealed class ActorsLatencyScenario : ActorsRoundTripScenario
{
    public override string Name => "actors-roundtrip-p50";

    public override string Metric => "us p50";

    public override string Target => "p50 <= 1.2x peer";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1 / 1.2;

    protected override double Percentile => 0.50;
}

/// <summary>The same round trips' 99th percentile: the tail a request/response service sees.</summary>
public sealed class ActorsLatencyP99Scenario : ActorsRoundTripScenario
{
    public override string Name => "actors-roundtrip-p99";

    public override string Metric => "us p99";

    public override string Target => "p99 <= 1.5x peer";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1 / 1.5;

    protected override double Percentile => 0.99;
}

/// <summary>Round trips of one job at a time through an idle pool of 2 workers, one percentile of them per trial.</summary>
public abstract class ActorsRoundTripScenario : Scenario
{
    private ActorSystem? _system;
    private IActorRef? _router;
    private PoolRef<int>? _pool;
    private PoolRef<int>? _defaultDispatcherPool;
    private PoolRef<int>? _tpSupervisorPool;

    public override bool HigherIsBetter => false;

    /// <summary>The percentile of the trial's round trips that is its value (0.5 = the median).</summary>
    protected abstract double Percentile { get; }

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem("latency");
        _router = _system.ActorOf(Props.Create(() => new LatchRoutee(new Latch(), ActorBench.Nothing)).WithRouter(new RoundRobinPool(2)), "rr");
        _pool = _system.SpawnPool(new PoolOptions<int> { Name = "pool", Workers = 2, Init = i => i });
        _defaultDispatcherPool = _system.SpawnPool(new PoolOptions<int> { Name = "pool-dd", Workers = 2, Init = i => i, Dispatcher = "akka.actor.default-dispatcher" });
        _tpSupervisorPool = _system.SpawnPool(new PoolOptions<int> { Name = "pool-tp", Workers = 2, Init = i => i, SupervisorDispatcher = "akka.actor.default-dispatcher" });
    }

    public override IReadOnlyList<Contender> Contenders(bool quick)
    {
        var count = quick ? 5_000 : 20_000;
        return
        [
            new("Akka Ask via RoundRobinPool(2)", true, () => Measure(count, () => _router!.Ask<int>("ping").GetAwaiter().GetResult())),
            new("Actorpool RunAsync", false, () => Measure(count, () => _pool!.RunAsync(static s => s + 1).GetAwaiter().GetResult())),
            new("Actorpool RunAsync, default-dispatcher", false, () => Measure(count, () => _defaultDispatcherPool!.RunAsync(static s => s + 1).GetAwaiter().GetResult())),
            new("Actorpool RunAsync, supervisor on default-dispatcher", false, () => Measure(count, () => _tpSupervisorPool!.RunAsync(static s => s + 1).GetAwaiter().GetResult())),
            new("Actorpool Ask(Submit)", false, () => Measure(count, () => _pool!.Ref.Ask<JobOutcome>(Submit.Run<int>(1, static s => s)).GetAwaiter().GetResult())),
        ];
    }

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));

    private double Measure<T>(int count, Func<T> roundTrip)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = roundTrip();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(samples);
        return samples[Math.Min(count - 1, (int)(count * Percentile))];
    }
}
