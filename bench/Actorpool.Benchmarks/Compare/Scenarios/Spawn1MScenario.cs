using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>One million tiny background items queued from one thread; throughput until the last one ran.</summary>
public sealed class Spawn1MScenario : Scenario
{
    private const int Count = 1_000_000;
    private WorkStealingPool? _pool;

    public override string Name => "spawn-1m";

    public override string Metric => "M items/s";

    public override bool HigherIsBetter => true;

    public override string Target => ">= 1.0x ThreadPool.UnsafeQueueUserWorkItem (checked here; the >= 2.5x Task.Run half: divide by the Task.Run row)";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1.0;

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("ThreadPool.UnsafeQueueUserWorkItem", true, () => Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            }
        })),
        new("Task.Run", true, () => Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                _ = Task.Run(item.Execute);
            }
        })),
        new("Actorpool UnsafeQueue", false, () => Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                _pool!.UnsafeQueue(item);
            }
        })),
        new("Actorpool Spawn (with handle)", false, () => Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                _ = _pool!.Spawn(item.Execute);
            }
        })),
    ];

    private static double Run(Action<CountingItem> submit)
    {
        using var item = new CountingItem();
        var sw = Stopwatch.StartNew();
        submit(item);
        if (!item.Done.Wait(TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException($"only {item.Runs} of {Count} items ran");
        }

        sw.Stop();
        return Volatile.Read(ref item.Runs) != Count
            ? throw new InvalidOperationException($"{item.Runs} items ran, expected {Count}")
            : Count / sw.Elapsed.TotalSeconds / 1e6;
    }

    private sealed class CountingItem : IThreadPoolWorkItem, IDisposable
    {
        public int Runs;

        public ManualResetEventSlim Done { get; } = new();

        public void Execute()
        {
            if (Interlocked.Increment(ref Runs) == Count)
            {
                Done.Set();
            }
        }

        public void Dispose() => Done.Dispose();
    }
}
