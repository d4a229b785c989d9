using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>One million tiny background items queued from one thread; throughput until the last one ran.</summary>
public sealed class Spawn1MScenario : Spawn1MScenarioBase
{
    public override string Name => "spawn-1m";

    public override string Metric => "M items/s";

    public override bool HigherIsBetter => true;

    public override string Target => "struct-job Spawn: >= 1.0x ThreadPool.UnsafeQueueUserWorkItem and >= 2.5x Task.Run (both checked, on that row only)";

    public override bool? TargetMet(string system, double actorpoolMedian, double ratioVsPeer, IReadOnlyDictionary<string, double> ratioVsEachPeer) =>
        system != Spawn1M.StructJobSpawn ? null
        : ratioVsEachPeer[Spawn1M.UnsafeQueueUserWorkItem] >= 1.0 && ratioVsEachPeer[Spawn1M.TaskRun] >= 2.5;

    protected override double Measure(Spawn1M.Outcome run) => run.ItemsPerSecond / 1e6;
}

/// <summary>
/// The share of a spawn-1m run spent in GC pauses. The items that allocate (a delegate per item, plus a Task
/// or a handle; the struct-job Spawn only its handle) pay for gen0 collections that copy the items still
/// queued; this row shows how much of their time that is.
/// </summary>
public sealed class Spawn1MGcScenario : Spawn1MScenarioBase
{
    public override string Name => "spawn-1m-gc";

    public override string Metric => "% of run in GC pause";

    public override bool HigherIsBetter => false;

    public override string Target => "(diagnostic) GC share of the spawn-1m runs";

    protected override double Measure(Spawn1M.Outcome run) => 100 * run.GcPause / run.Elapsed;
}

/// <summary>The spawn-1m scenarios: the same runs, each reporting its own metric of a run.</summary>
public abstract class Spawn1MScenarioBase : Scenario
{
    private readonly Spawn1M _runs = new();

    /// <summary>A run takes 50-250 ms and the peers swing several-fold between runs, so more trials than the default.</summary>
    public override int Trials(bool quick) => quick ? 7 : 11;

    public override void Setup(bool quick) => _runs.Start();

    public override void Cleanup() => _runs.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick) => _runs.Contenders(Measure);

    /// <summary>This scenario's metric of one run.</summary>
    protected abstract double Measure(Spawn1M.Outcome run);
}

/// <summary>The spawn-1m runs: each system queues <see cref="Count"/> counting items from the calling thread.</summary>
public sealed class Spawn1M : IDisposable
{
    public const string UnsafeQueueUserWorkItem = "ThreadPool.UnsafeQueueUserWorkItem";
    public const string TaskRun = "Task.Run";
    public const string StructJobSpawn = "Actorpool Spawn (struct job)";
    private const int Count = 1_000_000;
    private WorkStealingPool? _pool;

    public void Start() => _pool = new WorkStealingPool();

    public void Dispose() => _pool?.Dispose();

    public IReadOnlyList<Contender> Contenders(Func<Outcome, double> metric) =>
    [
        new(UnsafeQueueUserWorkItem, true, () => metric(Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            }
        }))),
        new(TaskRun, true, () => metric(Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                _ = Task.Run(item.Execute);
            }
        }))),
        new("Actorpool UnsafeQueue", false, () => metric(Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                _pool!.UnsafeQueue(item);
            }
        }))),
        new("Actorpool Spawn (with handle)", false, () => metric(Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                _ = _pool!.Spawn(item.Execute);
            }
        }))),
        new(StructJobSpawn, false, () => metric(Run(item =>
        {
            for (var i = 0; i < Count; i++)
            {
                _ = _pool!.Spawn(new CountingJob(item)); // the handle is the only allocation
            }
        }))),
    ];

    private static Outcome Run(Action<CountingItem> submit)
    {
        using var item = new CountingItem();
        var pausedBefore = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        submit(item);
        if (!item.Done.Wait(TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException($"only {item.Runs} of {Count} items ran");
        }

        sw.Stop();
        return Volatile.Read(ref item.Runs) != Count
            ? throw new InvalidOperationException($"{item.Runs} items ran, expected {Count}")
            : new Outcome(Count / sw.Elapsed.TotalSeconds, sw.Elapsed, GC.GetTotalPauseDuration() - pausedBefore);
    }

    /// <summary>One run: its throughput, its wall time and the GC pause time within it.</summary>
    public readonly record struct Outcome(double ItemsPerSecond, TimeSpan Elapsed, TimeSpan GcPause);

    /// <summary>The counting item as a struct job: what the other rows run, without a delegate.</summary>
    private readonly struct CountingJob(CountingItem item) : IJob
    {
        public void Run() => item.Execute();
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
