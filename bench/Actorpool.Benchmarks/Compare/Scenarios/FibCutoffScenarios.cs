using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// fib(n) forking only above a cutoff: speedup over the sequential fib(n) measured in the same process
/// (median of three sequential runs, taken again before every trial round so machine load affects both).
/// </summary>
public abstract class FibCutoffScenario : Scenario
{
    private WorkStealingPool? _pool;

    protected abstract int N { get; }

    protected abstract int Cutoff { get; }

    protected abstract double TargetSpeedup { get; }

    public override string Name => $"fib{N}-cutoff{Cutoff}";

    public override string Metric => "x vs seq";

    public override bool HigherIsBetter => true;

    public override string Target => $"speedup >= {TargetSpeedup}x over sequential";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian >= TargetSpeedup;

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Parallel.Invoke", true, () => Speedup(() => FibPeers.ParallelInvoke(N, Cutoff))),
        new("Actorpool Join", false, () => Speedup(() =>
            _pool!.Spawn(() => FibPeers.Actorpool(_pool!, N, Cutoff)).AsTask().Result)),
    ];

    private double Speedup(Func<long> run)
    {
        var sequential = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var r = FibPeers.Sequential(N);
            sequential.Add(sw.Elapsed.TotalNanoseconds);
            GC.KeepAlive(r);
        }

        sequential.Sort();
        return sequential[1] / FibPeers.TimeNs(N, run);
    }
}

/// <summary>fib(34) sequential below n = 20.</summary>
public sealed class Fib34Cutoff20Scenario : FibCutoffScenario
{
    protected override int N => 34;

    protected override int Cutoff => 20;

    protected override double TargetSpeedup => 1.9;
}

/// <summary>fib(30) sequential below n = 10: many small forks.</summary>
public sealed class Fib30Cutoff10Scenario : FibCutoffScenario
{
    protected override int N => 30;

    protected override int Cutoff => 10;

    protected override double TargetSpeedup => 1.5;
}
