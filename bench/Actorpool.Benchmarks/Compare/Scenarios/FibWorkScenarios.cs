using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// Work inflation of the fib cutoff runs: process CPU time of the parallel run divided by the CPU time of
/// the sequential run (1.0 = no overhead). Unlike the speedup, it does not depend on how much CPU a shared
/// machine grants the process, so it shows whether a missed speedup comes from the scheduler or the machine.
/// </summary>
public abstract class FibWorkScenario : Scenario
{
    private WorkStealingPool? _pool;

    protected abstract int N { get; }

    protected abstract int Cutoff { get; }

    public override string Name => $"fib{N}-cutoff{Cutoff}-work";

    public override string Metric => "cpu/seq cpu";

    public override bool HigherIsBetter => false;

    public override string Target => "(diagnostic) close to 1.0";

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Parallel.Invoke", true, () => Inflation(() => FibPeers.ParallelInvoke(N, Cutoff))),
        new("Actorpool Join", false, () => Inflation(() => _pool!.Spawn(() => FibPeers.Actorpool(_pool!, N, Cutoff)).AsTask().Result)),
    ];

    private double Inflation(Func<long> run)
    {
        var sequential = Cpu(() => FibPeers.Sequential(N));
        return Cpu(run) / sequential;
    }

    private double Cpu(Func<long> run)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        for (var i = 0; i < 3; i++)
        {
            if (run() != FibPeers.Expected(N))
            {
                throw new InvalidOperationException($"fib({N}) computed a wrong value");
            }
        }

        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }
}

/// <summary>Work inflation of fib(34) sequential below 20.</summary>
public sealed class Fib34Cutoff20WorkScenario : FibWorkScenario
{
    protected override int N => 34;

    protected override int Cutoff => 20;
}

/// <summary>Work inflation of fib(30) sequential below 10.</summary>
public sealed class Fib30Cutoff10WorkScenario : FibWorkScenario
{
    protected override int N => 30;

    protected override int Cutoff => 10;
}
