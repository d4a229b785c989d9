using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// fib(n) forking only above a cutoff: speedup over the sequential fib(n) measured in the same process
/// right before each parallel measurement, so machine load affects both. Each measurement runs the
/// computation <see cref="Repeats"/> times back to back, so waking sleeping threads is amortised.
/// </summary>
public abstract class FibCutoffScenario : Scenario
{
    private WorkStealingPool? _pool;
    private WorkStealingPool? _handOffPool;

    protected abstract int N { get; }

    protected abstract int Cutoff { get; }

    protected abstract double TargetSpeedup { get; }

    protected abstract int Repeats { get; }

    public override string Name => $"fib{N}-cutoff{Cutoff}";

    public override string Metric => "x vs seq";

    public override bool HigherIsBetter => true;

    public override string Target => $"speedup >= {TargetSpeedup}x over sequential";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian >= TargetSpeedup;

    public override void Setup(bool quick)
    {
        _pool = new WorkStealingPool();
        _handOffPool = new WorkStealingPool(new WorkStealingPoolOptions { HandOffExternalJoins = true });
    }

    public override void Cleanup()
    {
        _pool?.Dispose();
        _handOffPool?.Dispose();
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Parallel.Invoke", true, () => Speedup(() => FibPeers.ParallelInvoke(N, Cutoff))),
        // The real use: Main calls Join on the pool (Parallel.Invoke is also called from this thread).
        new("Actorpool Join (caller joins)", false, () => Speedup(() => FibPeers.Actorpool(_pool!, N, Cutoff))),
        new("Actorpool Join (caller joins, HandOffExternalJoins)", false, () => Speedup(() => FibPeers.Actorpool(_handOffPool!, N, Cutoff))),
        new("Actorpool Join (root spawned)", false, () => Speedup(() =>
            _pool!.Spawn(() => FibPeers.Actorpool(_pool!, N, Cutoff)).AsTask().Result)),
    ];

    private double Speedup(Func<long> run)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < Repeats; i++)
        {
            GC.KeepAlive(FibPeers.Sequential(N));
        }

        var sequential = sw.Elapsed.TotalNanoseconds;
        var parallel = 0.0;
        for (var i = 0; i < Repeats; i++)
        {
            parallel += FibPeers.TimeNs(N, run);
        }

        return sequential / parallel;
    }
}

/// <summary>fib(34) sequential below n = 20.</summary>
public sealed class Fib34Cutoff20Scenario : FibCutoffScenario
{
    protected override int N => 34;

    protected override int Cutoff => 20;

    protected override double TargetSpeedup => 1.9;

    protected override int Repeats => 2;
}

/// <summary>fib(30) sequential below n = 10: many small forks.</summary>
public sealed class Fib30Cutoff10Scenario : FibCutoffScenario
{
    protected override int N => 30;

    protected override int Cutoff => 10;

    protected override double TargetSpeedup => 1.5;

    protected override int Repeats => 10;
}
