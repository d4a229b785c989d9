using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// CPU burnt by an idle pool after its spin window: the whole process's CPU time over one second while the
/// pool (after a burst of work) has nothing to do, as a percentage of one core.
/// </summary>
public sealed class IdleCpuScenario : Scenario
{
    private WorkStealingPool? _pool;

    public override string Name => "idle-cpu";

    public override string Metric => "% of a core";

    public override bool HigherIsBetter => false;

    public override string Target => "< 2% of one core";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian < 2;

    public override int Trials(bool quick) => quick ? 2 : 3;

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Actorpool idle pool", false, Measure),
    ];

    private double Measure()
    {
        var pool = _pool!;
        if (FibPeers.Actorpool(pool, 25, 2) != FibPeers.Expected(25))
        {
            throw new InvalidOperationException("warm-up burst computed a wrong fib(25)");
        }

        Thread.Sleep(50); // far beyond the spin window
        if (pool.SleepingWorkers != pool.ThreadCount)
        {
            throw new InvalidOperationException($"{pool.SleepingWorkers} of {pool.ThreadCount} workers asleep after the spin window");
        }

        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Thread.Sleep(1_000);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return 100 * cpu.TotalSeconds / wall.Elapsed.TotalSeconds;
    }
}
