using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// 10,000 jobs where every 100th spins 2 ms, on 4 workers: the makespan as a multiple of the ideal (total spin
/// divided by the workers that can run at once, min(4, cores)). Round robin puts every slow job on one worker;
/// work pulling spreads them.
/// </summary>
public sealed class ActorsMakespanScenario : Scenario
{
    private const int Jobs = 10_000;
    private static readonly TimeSpan SlowSpin = TimeSpan.FromMilliseconds(2);
    private static readonly int[] Prefetches = [1, 2, 4, 8, 16, 32, 64];
    private readonly Latch _latch = new();
    private readonly Dictionary<int, PoolRef<Latch>> _pools = [];
    private ActorSystem? _system;
    private IActorRef? _roundRobin;
    private IActorRef? _smallestMailbox;

    public override string Name => "actors-skewed-makespan";

    public override string Metric => "x ideal";

    public override bool HigherIsBetter => false;

    public override string Target => "<= 1.10x ideal";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian <= 1.10;

    private static double Ideal => Jobs / 100 * SlowSpin.TotalSeconds / Math.Min(4, Environment.ProcessorCount);

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem("makespan");
        var routee = Props.Create(() => new LatchRoutee(_latch, Work));
        _roundRobin = _system.ActorOf(routee.WithRouter(new RoundRobinPool(4)), "rr");
        _smallestMailbox = _system.ActorOf(routee.WithRouter(new SmallestMailboxPool(4)), "sm");
        foreach (var prefetch in Prefetches)
        {
            _pools[prefetch] = _system.SpawnPool(new PoolOptions<Latch>
            {
                Name = $"pool-p{prefetch}",
                Workers = 4,
                Prefetch = prefetch,
                Backlog = Jobs + 1,
                Init = _ => _latch,
            });
        }
    }

    public override IReadOnlyList<Contender> Contenders(bool quick)
    {
        var rows = new List<Contender>
        {
            new("Akka RoundRobinPool(4)", true, () => RunRouter(_roundRobin!)),
            new("Akka SmallestMailboxPool(4)", true, () => RunRouter(_smallestMailbox!)),
            new("TPL Dataflow ActionBlock(DOP 4)", true, () => DataflowPeer.Run(Jobs, 4, Work).TotalSeconds / Ideal),
        };
        foreach (var prefetch in Prefetches)
        {
            rows.Add(new($"Actorpool p={prefetch}", false, () => RunPool(_pools[prefetch])));
        }

        return rows;
    }

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static void Work(int job)
    {
        if (job % 100 == 0)
        {
            ActorBench.Spin(SlowSpin);
        }
    }

    private double RunRouter(IActorRef router)
    {
        _latch.Reset(Jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            router.Tell(i, ActorRefs.NoSender);
        }

        _latch.Wait();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / Ideal;
    }

    private double RunPool(PoolRef<Latch> pool)
    {
        _latch.Reset(Jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            var job = i;
            pool.Ref.Tell(Submit.Run<Latch>(job, latch =>
            {
                Work(job);
                latch.Signal();
                return null;
            }), ActorRefs.NoSender);
        }

        _latch.Wait();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / Ideal;
    }
}
