using System.Collections.Concurrent;
using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>Sum of 50M longs: Parallel.ForEach over a range partitioner against Actorpool's Reduce.</summary>
public sealed class Sum50MScenario : Scenario
{
    private const int Count = 50_000_000;
    private const long Expected = (long)(Count - 1) * Count / 2;
    private long[] _data = [];
    private WorkStealingPool? _pool;

    public override string Name => "sum-50m";

    public override string Metric => "ms";

    public override bool HigherIsBetter => false;

    public override string Target => "ratio >= 1.0";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1.0;

    public override void Setup(bool quick)
    {
        _data = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            _data[i] = i;
        }

        _pool = new WorkStealingPool();
    }

    public override void Cleanup()
    {
        _pool?.Dispose();
        _data = [];
    }

    /// <summary>More trials than the default: the sum is memory-bound and this VM's memory bandwidth swings by 2x.</summary>
    public override int Trials(bool quick) => quick ? 7 : 11;

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Parallel.ForEach(range partitioner)", true, () => Time(() => ParallelForEachSum(_data))),
        new("Actorpool Reduce(ByThreads)", false, () => Time(() => _pool!.Reduce<long, long>(_data, 0L, Sum, static (a, b) => a + b))),
        new("Actorpool Reduce(Chunks(32))", false, () => Time(() =>
            _pool!.Reduce<long, long>(_data, 0L, Sum, static (a, b) => a + b, Split.Chunks(32)))),
    ];

    /// <summary>The peer's idiom: Parallel.ForEach over a range partitioner, a local sum per range.</summary>
    internal static long ParallelForEachSum(long[] data)
    {
        long total = 0;
        Parallel.ForEach(Partitioner.Create(0, data.Length), () => 0L, (range, _, local) =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                local += data[i];
            }

            return local;
        }, local => Interlocked.Add(ref total, local));
        return total;
    }

    private static long Sum(ReadOnlySpan<long> span)
    {
        long s = 0;
        foreach (var v in span)
        {
            s += v;
        }

        return s;
    }

    private static double Time(Func<long> run)
    {
        var sw = Stopwatch.StartNew();
        var result = run();
        sw.Stop();
        return result != Expected
            ? throw new InvalidOperationException($"sum = {result}, expected {Expected}")
            : sw.Elapsed.TotalMilliseconds;
    }
}
