using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>1M tiny job messages through a pool's <c>Handle</c> function, 2 workers, against Akka's router and Dataflow with 2.</summary>
public sealed class ActorsHandler2Scenario : ActorsHandlerScenario
{
    protected override int Workers => 2;
}

/// <summary>The same with 8 workers (4 per core here), against Akka's router and Dataflow with 8.</summary>
public sealed class ActorsHandler8Scenario : ActorsHandlerScenario
{
    protected override int Workers => 8;
}

/// <summary>
/// One million job messages (<c>Submit.Message</c>, an int each) from one producer through a pool whose <c>Handle</c>
/// function runs them, one outcome each counted by the pool (no reply: the messages are sent without a sender), against
/// an Akka RoundRobinPool of as many routees fed by <c>Tell</c> and a TPL Dataflow <c>ActionBlock</c> of that degree of
/// parallelism fed by <c>Post</c>.
/// </summary>
public abstract class ActorsHandlerScenario : Scenario
{
    private const int Jobs = 1_000_000;
    private readonly Latch _latch = new();
    private ActorSystem? _system;
    private IActorRef? _router;
    private PoolRef<Latch>? _pool;

    public override string Name => $"actors-1m-handler-{Workers}";

    public override string Metric => "Mjobs/s";

    public override bool HigherIsBetter => true;

    public override string Target => "ratio >= 1.0";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1.0;

    /// <summary>Workers, routees and degree of parallelism alike.</summary>
    protected abstract int Workers { get; }

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem($"handler-{Workers}");
        _router = _system.ActorOf(Props.Create(() => new LatchRoutee(_latch, ActorBench.Nothing)).WithRouter(new RoundRobinPool(Workers)), "rr");
        _pool = _system.SpawnPool(new PoolOptions<Latch>
        {
            Name = "handler",
            Workers = Workers,
            Backlog = Jobs + 1,
            Init = _ => _latch,
            Handle = static (latch, _) =>
            {
                latch.Signal();
                return null;
            },
        });
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new($"Akka RoundRobinPool({Workers})", true, () => _latch.MillionsPerSecond(Jobs, i => _router!.Tell(i, ActorRefs.NoSender))),
        new($"TPL Dataflow ActionBlock(DOP {Workers})", true, () => Jobs / DataflowPeer.Run(Jobs, Workers, ActorBench.Nothing).TotalSeconds / 1e6),
        new($"Actorpool Submit.Message, {Workers} workers", false, () => _latch.MillionsPerSecond(Jobs, i => _pool!.Ref.Tell(Submit.Message(i, i), ActorRefs.NoSender))),
    ];

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));
}
