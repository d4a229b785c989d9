using Actorpool.Benchmarks.Iterators;
using Actorpool.Iterators;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>The README example: the sum of 0..10 000 as longs, split by threads, in microseconds per query.</summary>
public sealed class IterSum10kScenario : IterScenario
{
    private const int N = 10_000;
    private const long Expected = 49_995_000;
    private const string Plinq = "PLINQ Range.AsParallel().Select.Sum";
    private const string Linq = "LINQ Range.Select.Sum";

    public override string Name => "iter-sum-10k";

    public override string Metric => "us/query";

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 10, [Linq] = 1 / 1.5 };

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Micros(200, Expected, () => Enumerable.Range(0, N).AsParallel().Select(i => (long)i).Sum())),
        new(Linq, true, () => Micros(2_000, Expected, () => Enumerable.Range(0, N).Select(i => (long)i).Sum())),
        new("Actorpool Par.Range.Select.Sum", false, () => Micros(2_000, Expected,
            () => Par.Range(0, N).Select(i => (long)i).With(Split.ByThreads).On(Pool).Sum())),
        new("Actorpool Par.Range.Select(struct functor).Sum", false, () => Micros(2_000, Expected,
            () => Par.Range(0, N).Select<long, QueryFunctors.ToLong>(default).With(Split.ByThreads).On(Pool).Sum())),
    ];
}

/// <summary>The same sum over a long[] of 0..10 000: LINQ's Sum is vectorized here, and so is Par's.</summary>
public sealed class IterSum10kArrayScenario : IterScenario<long>
{
    private const string Plinq = "PLINQ long[].AsParallel().Sum";
    private const string Linq = "LINQ long[].Sum";

    public override string Name => "iter-sum-10k-array";

    protected override long[] Build() => [.. Enumerable.Range(0, 10_000).Select(i => (long)i)];

    public override string Metric => "us/query";

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 10, [Linq] = 1 / 1.5 };

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Micros(200, 49_995_000L, () => Data.AsParallel().Sum())),
        new(Linq, true, () => Micros(20_000, 49_995_000L, () => Data.Sum())),
        new("Actorpool Par.Over(long[]).Sum", false, () => Micros(20_000, 49_995_000L, () => Par.Over(Data).On(Pool).Sum())),
    ];
}

/// <summary>The sum of 50M longs (memory-bound) against every parallel peer and sequential LINQ, in ms.</summary>
public sealed class IterSum50MScenario : IterScenario<long>
{
    private const int N = 50_000_000;
    private const long Expected = (long)(N - 1) * N / 2;
    private const string Plinq = "PLINQ AsParallel().Sum";
    private const string ForEach = "Parallel.ForEach(range partitioner)";
    private const string Linq = "LINQ Sum (sequential, vectorized)";
    public override string Name => "iter-sum-50m";

    public override string Metric => "ms";

    public override int Trials(bool quick) => quick ? 7 : 11;

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 1, [ForEach] = 1, [Linq] = 1.5 };

    protected override long[] Build() => [.. Enumerable.Range(0, N).Select(i => (long)i)];

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Millis(() => Data.AsParallel().Sum(), r => r == Expected)),
        new(ForEach, true, () => Millis(() => Sum50MScenario.ParallelForEachSum(Data), r => r == Expected)),
        new(Linq, true, () => Millis(() => Data.Sum(), r => r == Expected)),
        new("Actorpool Par.Over.Sum", false, () => Millis(() => Par.Over(Data).On(Pool).Sum(), r => r == Expected)),
    ];
}

/// <summary>Bytes allocated (all threads, precise) per element of a 10M-element Select.Where.Sum query.</summary>
public sealed class IterAllocScenario : IterScenario<long>
{
    private const int N = 10_000_000;
    private const string Plinq = "PLINQ Select.Where.Sum";
    private long _expected;
    private long _plainSum;

    public override string Name => "iter-alloc";

    public override string Metric => "bytes/elem";

    public override string Target => "0 bytes/elem (a constant per query)";

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double>();

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer, IReadOnlyDictionary<string, double> ratioVsEachPeer) =>
        actorpoolMedian < 0.001;

    public override int Trials(bool quick) => quick ? 2 : 3;

    protected override long[] Build() => [.. Enumerable.Range(0, N).Select(i => (long)i)];

    public override void Setup(bool quick)
    {
        base.Setup(quick);
        _expected = Data.Select(x => x * 3).Where(x => x % 7 != 0).Sum();
        _plainSum = Data.Sum();
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Bytes(_expected, () => Data.AsParallel().Select(x => x * 3).Where(x => x % 7 != 0).Sum())),
        new("Actorpool Par.Over.Select.Where.Sum", false, () => Bytes(_expected, () => Par.Over(Data).On(Pool).Select(x => x * 3).Where(x => x % 7 != 0).Sum())),
        new("Actorpool Par.Over.Sum (vector)", false, () => Bytes(_plainSum, () => Par.Over(Data).On(Pool).Sum())),
    ];

    private static double Bytes(long expected, Func<long> run)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = run();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return result != expected ? throw new InvalidOperationException($"sum {result}, expected {expected}") : (double)(after - before) / N;
    }
}
