using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// 100k asynchronous jobs that each <c>await Task.Yield()</c> once, through 2 workers that each own their state until
/// the job's task completes: Akka routees with <c>ReceiveAsync</c> behind a RoundRobinPool (a routee takes no message
/// while it awaits) against Actorpool's async <c>RunAsync</c>.
/// </summary>
public sealed class ActorsAsyncYieldScenario : Scenario
{
    private const int Jobs = 100_000;
    private readonly Latch _latch = new();
    private ActorSystem? _system;
    private IActorRef? _router;
    private PoolRef<Latch>? _pool;
    private PoolRef<Latch>? _poolOnDefault;

    public override string Name => "actors-async-yield";

    public override string Metric => "Mjobs/s";

    public override bool HigherIsBetter => true;

    public override string Target => "ratio >= 1.0";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1.0;

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem("async-yield");
        _router = _system.ActorOf(Props.Create(() => new YieldingRoutee(_latch)).WithRouter(new RoundRobinPool(2)), "rr");
        _pool = _system.SpawnPool(new PoolOptions<Latch> { Name = "async", Workers = 2, Backlog = Jobs + 1, Init = _ => _latch });
        _poolOnDefault = _system.SpawnPool(new PoolOptions<Latch>
        {
            Name = "async-dd",
            Workers = 2,
            Backlog = Jobs + 1,
            Init = _ => _latch,
            Dispatcher = "akka.actor.default-dispatcher",
        });
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Akka RoundRobinPool(2), ReceiveAsync", true, RunRouter),
        new("Actorpool RunAsync(async), 2 workers", false, () => RunPool(_pool!)),
        new("Actorpool RunAsync(async), 2 workers, default-dispatcher", false, () => RunPool(_poolOnDefault!)),
    ];

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));

    private double RunRouter() => _latch.MillionsPerSecond(Jobs, i => _router!.Tell(i, ActorRefs.NoSender));

    private double RunPool(PoolRef<Latch> pool) => _latch.MillionsPerSecond(Jobs, _ => pool.RunAsync(YieldOnce, CancellationToken.None));

    private static async ValueTask<bool> YieldOnce(Latch latch, CancellationToken token)
    {
        await Task.Yield();
        latch.Signal();
        return true;
    }

    private sealed class YieldingRoutee : ReceiveActor
    {
        public YieldingRoutee(Latch latch) => ReceiveAsync<int>(async _ =>
        {
            await Task.Yield();
            latch.Signal();
        });
    }
}

/// <summary>
/// The cost of the async form when the job's task completes at once: 1M jobs through RunAsync with synchronous code
/// (the peer) against the same work written as async code that completes synchronously (target: at most 1.2x the
/// cost, i.e. at least 0.83x the throughput).
/// </summary>
public sealed class ActorsAsyncSyncScenario : Scenario
{
    private const int Jobs = 1_000_000;
    private readonly Latch _latch = new();
    private ActorSystem? _system;
    private PoolRef<Latch>? _pool;

    public override string Name => "actors-async-sync";

    public override string Metric => "Mjobs/s";

    public override bool HigherIsBetter => true;

    public override string Target => "ratio >= 0.83 (<= 1.2x the sync job's cost)";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1 / 1.2;

    public override void Setup(bool quick)
    {
        _system = ActorBench.CreateSystem("async-sync");
        _pool = _system.SpawnPool(new PoolOptions<Latch> { Name = "pool", Workers = 2, Backlog = Jobs + 1, Init = _ => _latch });
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Actorpool RunAsync(sync job)", true, () => Run(static pool => pool.RunAsync(Sync))),
        new("Actorpool RunAsync(async job, completes at once)", false, () => Run(static pool => pool.RunAsync(AsyncAtOnce, CancellationToken.None))),
    ];

    public override void Cleanup() => _system?.Terminate().Wait(TimeSpan.FromSeconds(10));

    private double Run(Func<PoolRef<Latch>, Task<bool>> submit) => _latch.MillionsPerSecond(Jobs, _ => submit(_pool!));

    private static bool Sync(Latch latch)
    {
        latch.Signal();
        return true;
    }

    private static ValueTask<bool> AsyncAtOnce(Latch latch, CancellationToken token)
    {
        latch.Signal();
        return ValueTask.FromResult(true);
    }
}
