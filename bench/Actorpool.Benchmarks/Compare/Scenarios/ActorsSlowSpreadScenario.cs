using System.Diagnostics;
using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// 8 blocking jobs of 200 ms on 4 workers with default options (each worker on a thread of its own): the makespan
/// against the ideal 400 ms (two rounds). The peer is Akka's RoundRobinPool(4) with pinned routees, which deals 2
/// jobs to each by rotation; Actorpool must get there by pulling, with its default prefetch of 64.
/// </summary>
public sealed class ActorsSlowSpreadScenario : Scenario
{
    private const int Jobs = 8;
    private static readonly TimeSpan JobTime = TimeSpan.FromMilliseconds(200);
    private readonly Latch _latch = new();
    private ActorSystem? _system;
    private IActorRef? _router;
    private int _round;

    public override string Name => "actors-slow-spread";

    public override string Metric => "ms makespan";

    public override bool HigherIsBetter => false;

    public override string Target => "<= 1.1x ideal (440 ms)";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian <= 1.1 * 2 * JobTime.TotalMilliseconds;

    public override void Setup(bool quick)
    {
        _system = ActorSystem.Create("slow-spread", "akka.loglevel = WARNING\nakka.log-dead-letters = 0\nbench-pinned { type = PinnedDispatcher }");
        _router = _system.ActorOf(
            Props.Create(() => new LatchRoutee(_latch, static _ => Thread.Sleep(JobTime)))
                .WithDispatcher("bench-pinned")
                .WithRouter(new RoundRobinPool(4)),
            "rr");
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Akka RoundRobinPool(4), pinned routees", true, RunRouter),
        new("Actorpool, 4 workers, OwnThreads, default prefetch", false, RunPool),
    ];

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));

    private double RunRouter()
    {
        _latch.Reset(Jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            _router!.Tell(i, ActorRefs.NoSender);
        }

        _latch.Wait();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private double RunPool()
    {
        // A fresh pool each run: it starts knowing nothing about its jobs, as a pool meeting a first burst does.
        var pool = _system!.SpawnPool(new PoolOptions<int> { Name = $"spread-{_round++}", Workers = 4, OwnThreads = true, Init = i => i });
        pool.Started.Wait();
        var start = Stopwatch.GetTimestamp();
        var jobs = Enumerable.Range(0, Jobs).Select(_ => pool.RunAsync(static _ => Thread.Sleep(JobTime))).ToArray();
        Task.WaitAll(jobs);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        pool.StopAsync().Wait();
        return elapsed;
    }
}
