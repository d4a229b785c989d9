using Actorpool.Iterators;
using BenchmarkDotNet.Attributes;

namespace Actorpool.Benchmarks.Iterators;

/// <summary>Select.Where.Sum over 1M longs: Par (lambdas and struct functors) against LINQ and PLINQ.</summary>
[MemoryDiagnoser]
public class QueryBenchmarks : PoolBenchmarks
{
    private readonly long[] _data = [.. Enumerable.Range(0, 1_000_000).Select(i => (long)i)];

    [Benchmark(Baseline = true)]
    public long Linq() => _data.Select(x => x * 3).Where(x => x % 7 != 0).Sum();

    [Benchmark]
    public long Plinq() => _data.AsParallel().Select(x => x * 3).Where(x => x % 7 != 0).Sum();

    [Benchmark]
    public long ParLambdas() => Par.Over(_data).On(Pool).Select(x => x * 3).Where(x => x % 7 != 0).Sum();

    [Benchmark]
    public long ParStructFunctors() => Par.Over(_data).On(Pool).Select<long, QueryFunctors.Triple>(default).Where(new QueryFunctors.NotMultipleOf7()).Sum();

    [Benchmark]
    public long ParSumVector() => Par.Over(_data).On(Pool).Sum();

}
