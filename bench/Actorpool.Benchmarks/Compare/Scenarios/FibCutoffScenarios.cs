using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// fib(n) forking only above a cutoff: speedup over the sequential fib(n) measured in the same process.
/// A trial runs <see cref="Repeats"/> pairs back to back, each a sequential run then a parallel one, and
/// reports the median pair's ratio, so machine load affects both sides of a pair alike.
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

    /// <summary>More trials than the default: a trial is short and this VM's noise is not.</summary>
    public override int Trials(bool quick) => quick ? 7 : 11;

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
        // Paired samples: each parallel run is compared with a sequential run made just before it, and the
        // median of those ratios is the trial's value, so a burst of machine noise spoils one pair, not the trial.
        var ratios = new double[Repeats];
        for (var i = 0; i < Repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            GC.KeepAlive(FibPeers.Sequential(N));
            var sequential = sw.Elapsed.TotalNanoseconds;
            ratios[i] = sequential / FibPeers.TimeNs(N, run);
        }

        Array.Sort(ratios);
        return Repeats % 2 == 1 ? ratios[Repeats / 2] : (ratios[(Repeats / 2) - 1] + ratios[Repeats / 2]) / 2;
    }
}

/// <summary>fib(34) sequential below n = 20.</summary>
public sealed class Fib34Cutoff20Scenario : FibCutoffScenario
{
    protected override int N => 34;

    protected override int Cutoff => 20;

    protected override double TargetSpeedup => 1.9;

    protected override int Repeats => 3;
}

/// <summary>fib(30) sequential below n = 10: many small forks.</summary>
public sealed class Fib30Cutoff10Scenario : FibCutoffScenario
{
    protected override int N => 30;

    protected override int Cutoff => 10;

    protected override double TargetSpeedup => 1.5;

    protected override int Repeats => 11;
}
