using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// A short burst: fib(30) forking above n = 20, started from a .NET ThreadPool thread after the pool has been idle
/// (its workers asleep), as a request handler would start it. Each pair runs sequential fib(30), waits for the pool
/// to fall asleep, then the contender; a trial reports the median pair's speedup over sequential.
/// </summary>
public sealed class IterBurstScenario : Scenario
{
    private const int N = 30;
    private const int Cutoff = 20;
    private const int Pairs = 9;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(5);
    private WorkStealingPool? _pool;

    public override string Name => "iter-burst";

    public override string Metric => "x vs seq";

    public override bool HigherIsBetter => true;

    public override string Target => "speedup >= 1.4x over sequential and >= 1.0x best peer";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian >= 1.4 && ratioVsPeer >= 1.0;

    public override int Trials(bool quick) => quick ? 5 : 9;

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Parallel.Invoke", true, () => Speedup(() => Task.FromResult(FibPeers.ParallelInvoke(N, Cutoff)))),
        new("Task.Run+await", true, () => Speedup(() => RunAwait(N))),
        new("Actorpool Join", false, () => Speedup(() => Task.FromResult(FibPeers.Actorpool(_pool!, N, Cutoff)))),
    ];

    private static async Task<long> RunAwait(int n)
    {
        if (n < Cutoff)
        {
            return FibPeers.Sequential(n);
        }

        var left = Task.Run(() => RunAwait(n - 1));
        var right = await RunAwait(n - 2).ConfigureAwait(false);
        return await left.ConfigureAwait(false) + right;
    }

    private static double Speedup(Func<Task<long>> burst)
    {
        var ratios = new double[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var sw = Stopwatch.StartNew();
            GC.KeepAlive(FibPeers.Sequential(N));
            var sequential = sw.Elapsed.TotalNanoseconds;
            Thread.Sleep(Idle);

            // Started and timed on a ThreadPool thread, like a request handler's burst.
            var parallel = Task.Run(async () =>
            {
                var timer = Stopwatch.StartNew();
                var result = await burst().ConfigureAwait(false);
                return result == FibPeers.Expected(N) ? timer.Elapsed.TotalNanoseconds : throw new InvalidOperationException($"fib({N}) = {result}");
            }).GetAwaiter().GetResult();
            ratios[i] = sequential / parallel;
        }

        Array.Sort(ratios);
        return ratios[Pairs / 2];
    }
}
