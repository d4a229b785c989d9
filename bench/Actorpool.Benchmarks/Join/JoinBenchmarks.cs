using BenchmarkDotNet.Attributes;
using Actorpool.Benchmarks.Compare.Scenarios;

namespace Actorpool.Benchmarks.Join;

/// <summary>fib(20) with a fork at every level (10945 joins): Actorpool Join against the .NET peers.</summary>
[MemoryDiagnoser]
public class JoinBenchmarks : PoolBenchmarks
{
    private const int N = 20;

    [Benchmark(Baseline = true)]
    public long TaskRunWait() => FibPeers.TaskRunWait(N, 2);

    [Benchmark]
    public long ParallelInvoke() => FibPeers.ParallelInvoke(N, 2);

    [Benchmark]
    public long ActorpoolJoin() => FibPeers.Actorpool(Pool, N, 2);

    [Benchmark]
    public long ActorpoolJoinDelegates() => FibDelegates(Pool, N);

    private static long FibDelegates(WorkStealingPool pool, int n)
    {
        if (n < 2)
        {
            return n;
        }

        var (a, b) = pool.Join(() => FibDelegates(pool, n - 1), () => FibDelegates(pool, n - 2));
        return a + b;
    }
}
