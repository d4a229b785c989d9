using BenchmarkDotNet.Attributes;

namespace Actorpool.Benchmarks;

/// <summary>Base of the BenchmarkDotNet classes that run on a private work-stealing pool.</summary>
public abstract class PoolBenchmarks
{
    protected WorkStealingPool Pool { get; private set; } = null!;

    [GlobalSetup]
    public void Setup() => Pool = new WorkStealingPool();

    [GlobalCleanup]
    public void Cleanup() => Pool?.Dispose();
}
