namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>fib(30) with a Join at every level: the cost of one fork-join, in nanoseconds per join.</summary>
public sealed class JoinFib30Scenario : Scenario
{
    private const int N = 30;
    private static readonly long Joins = FibPeers.Forks(N, 2);
    private WorkStealingPool? _pool;

    public override string Name => "join-fib30";

    public override string Metric => "ns/join";

    public override bool HigherIsBetter => false;

    public override string Target => "ratio >= 5 (<= 1/5 of the best peer's ns/join)";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 5;

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Task.Run+Wait", true, () => FibPeers.TimeNs(N, () => FibPeers.TaskRunWait(N, 2)) / Joins),
        new("Parallel.Invoke", true, () => FibPeers.TimeNs(N, () => FibPeers.ParallelInvoke(N, 2)) / Joins),
        new("Actorpool Join (caller joins)", false, () => FibPeers.TimeNs(N, () => FibPeers.Actorpool(_pool!, N, 2)) / Joins),
        new("Actorpool Join (root spawned)", false, () => FibPeers.TimeNs(N,
            () => _pool!.Spawn(() => FibPeers.Actorpool(_pool!, N, 2)).AsTask().Result) / Joins),
    ];
}

/// <summary>Bytes allocated per join in fib(30) (all threads, precise); the target is zero.</summary>
public sealed class JoinAllocScenario : Scenario
{
    private const int N = 30;
    private static readonly long Joins = FibPeers.Forks(N, 2);
    private WorkStealingPool? _pool;

    public override string Name => "join-fib30-alloc";

    public override string Metric => "bytes/join";

    public override bool HigherIsBetter => false;

    public override string Target => "0 bytes/join";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian < 0.01;

    public override int Trials(bool quick) => quick ? 2 : 3;

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Task.Run+Wait", true, () => Bytes(() => FibPeers.TaskRunWait(N, 2))),
        new("Parallel.Invoke", true, () => Bytes(() => FibPeers.ParallelInvoke(N, 2))),
        new("Actorpool Join", false, () => Bytes(() => FibPeers.Actorpool(_pool!, N, 2))),
    ];

    private static double Bytes(Func<long> run)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = run();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return result != FibPeers.Expected(N)
            ? throw new InvalidOperationException($"fib({N}) = {result}")
            : (double)(after - before) / Joins;
    }
}
