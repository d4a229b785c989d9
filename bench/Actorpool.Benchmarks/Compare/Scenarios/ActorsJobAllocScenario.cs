using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// Bytes allocated per tiny job, on every thread of the process, while 200k jobs go through 2 workers: Akka's
/// RoundRobinPool (a boxed int per Tell) and TPL Dataflow (an int per Post) as the peers, and Actorpool's message API,
/// <c>RunAsync</c> (a job, a completion source and its task) and <c>RunValueAsync</c> (the job alone: the issue's
/// "at most one allocation per job"; <c>PoolSpecs</c> checks the one allocation, this row shows its bytes).
/// </summary>
public sealed class ActorsJobAllocScenario : Scenario
{
    private const int Jobs = 200_000;
    private readonly Latch _latch = new();
    private ActorSystem? _system;
    private IActorRef? _router;
    private PoolRef<Latch>? _pool;

    public override string Name => "actors-job-alloc";

    public override string Metric => "bytes/job";

    public override bool HigherIsBetter => false;

    public override string Target => "(diagnostic) RunValueAsync allocates one job object per job";

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem("job-alloc");
        _router = _system.ActorOf(Props.Create(() => new LatchRoutee(_latch, ActorBench.Nothing)).WithRouter(new RoundRobinPool(2)), "rr");
        _pool = _system.SpawnPool(new PoolOptions<Latch> { Name = "alloc", Workers = 2, Backlog = Jobs + 1, Init = _ => _latch });
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Akka RoundRobinPool(2)", true, () => BytesPerJob(i => _router!.Tell(i, ActorRefs.NoSender))),
        new("TPL Dataflow ActionBlock(DOP 2)", true, () =>
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            DataflowPeer.Run(Jobs, 2, ActorBench.Nothing);
            return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Jobs;
        }),
        new("Actorpool Submit", false, () => BytesPerJob(i => _pool!.Ref.Tell(Submit.Run<Latch>(i, Done), ActorRefs.NoSender))),
        new("Actorpool RunAsync", false, () => BytesPerJob(_ => { _pool!.RunAsync(Done); })),
        new("Actorpool RunValueAsync", false, () => BytesPerJob(_ => { _pool!.RunValueAsync(Done); })),
    ];

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));

    private double BytesPerJob(Action<int> submit)
    {
        _latch.Reset(Jobs);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            submit(i);
        }

        _latch.Wait();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        Progress.WriteLine($"    {Jobs / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6:F2} Mjobs/s");
        return bytes / (double)Jobs;
    }

    private static object? Done(Latch latch)
    {
        latch.Signal();
        return null;
    }
}
