using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// 1M tiny jobs through 2 workers to completion: Akka's RoundRobinPool (fire and forget, no outcome) against an
/// Actorpool pool (work pulling, one outcome per job) at several prefetch settings, by message and by RunAsync.
/// </summary>
public sealed class ActorsThroughputScenario : Scenario
{
    private const int Jobs = 1_000_000;
    private static readonly int[] Prefetches = [1, 2, 4, 8, 16, 32, 64];
    private readonly Latch _latch = new();
    private ActorSystem? _system;
    private IActorRef? _router;
    private readonly Dictionary<int, PoolRef<Latch>> _pools = [];

    public override string Name => "actors-1m-tiny";

    public override string Metric => "Mjobs/s";

    public override bool HigherIsBetter => true;

    public override string Target => "ratio >= 1.0 (work pulling kept)";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1.0;

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem("throughput");
        _router = _system.ActorOf(Props.Create(() => new LatchRoutee(_latch, ActorBench.Nothing)).WithRouter(new RoundRobinPool(2)), "rr");
        foreach (var prefetch in Prefetches)
        {
            _pools[prefetch] = _system.SpawnPool(new PoolOptions<Latch>
            {
                Name = $"pool-p{prefetch}",
                Workers = 2,
                Prefetch = prefetch,
                Backlog = Jobs + 1,
                Init = _ => _latch,
            });
        }

        _pools[-16] = _system.SpawnPool(new PoolOptions<Latch>
        {
            Name = "pool-dd",
            Workers = 2,
            Prefetch = 16,
            Backlog = Jobs + 1,
            Init = _ => _latch,
            Dispatcher = "akka.actor.default-dispatcher",
        });
    }

    public override IReadOnlyList<Contender> Contenders(bool quick)
    {
        var rows = new List<Contender>
        {
            new("Akka RoundRobinPool(2)", true, RunRouter),
            new("TPL Dataflow ActionBlock(DOP 2)", true, () => Jobs / DataflowPeer.Run(Jobs, 2, ActorBench.Nothing).TotalSeconds / 1e6),
        };
        foreach (var prefetch in Prefetches)
        {
            rows.Add(new($"Actorpool Submit p={prefetch}", false, () => RunSubmit(_pools[prefetch])));
        }

        rows.Add(new("Actorpool Submit p=16, default-dispatcher", false, () => RunSubmit(_pools[-16])));
        rows.Add(new($"Actorpool RunAsync p={PoolDefaults.Prefetch}", false, () => RunTasks(_pools[PoolDefaults.Prefetch])));
        rows.Add(new($"Actorpool RunValueAsync p={PoolDefaults.Prefetch}", false, () => RunValueTasks(_pools[PoolDefaults.Prefetch])));
        return rows;
    }

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
        return Jobs / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    private double RunSubmit(PoolRef<Latch> pool)
    {
        _latch.Reset(Jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            pool.Ref.Tell(Submit.Run<Latch>(i, Done), ActorRefs.NoSender);
        }

        _latch.Wait();
        return Jobs / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    private double RunTasks(PoolRef<Latch> pool)
    {
        _latch.Reset(Jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            _ = pool.RunAsync(Done);
        }

        _latch.Wait();
        return Jobs / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    private double RunValueTasks(PoolRef<Latch> pool)
    {
        _latch.Reset(Jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            _ = pool.RunValueAsync(Done);
        }

        _latch.Wait();
        return Jobs / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    private static object? Done(Latch latch)
    {
        latch.Signal();
        return null;
    }
}
