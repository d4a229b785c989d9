using System.Collections.Concurrent;
using Actorpool.Dynamic;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Core.Tests.Dynamic;

/// <summary>One worker's data: which system and worker built it, and how often it was closed.</summary>
internal sealed class WorkerData(string system, int index, int serial)
{
    public string System { get; } = system;

    public int Index { get; } = index;

    public int Serial { get; } = serial;

    public int Closes;

    public int Calls;

    public int ThreadId { get; } = Environment.CurrentManagedThreadId;

    public string? ThreadName { get; } = Thread.CurrentThread.Name;
}

/// <summary>
/// A test system that records every init, close and scale poll, with a settable scale and a per-call hook.
/// A work unit waits 1 ms on a signal that never comes (a worker polling an empty queue), so tests don't spin.
/// </summary>
internal sealed class RecordingSystem(string name = "A") : IDynamicSystem<WorkerData>
{
    private static readonly ManualResetEventSlim NoJobs = new(false);
    private readonly ThreadLocal<int> _workerIndex = new(() => -1);
    private readonly ConcurrentDictionary<int, int> _polls = new();
    private volatile StrongScale _scale = new(Scale.Active(1));
    private int _serial;
    private int _totalPolls;

    public ConcurrentQueue<WorkerData> Inits { get; } = new();

    public ConcurrentQueue<WorkerData> Closes { get; } = new();

    /// <summary>Called on every Work with the worker's data; returns the decision (default Again).</summary>
    public Func<WorkerData, Decision> OnWork { get; set; } = _ => Decision.Again;

    public Action<WorkerData>? OnClose { get; set; }

    public Action<int>? OnInit { get; set; }

    public Func<Scale>? ScaleOverride { get; set; }

    public Scale CurrentScale
    {
        get => _scale.Value;
        set => _scale = new StrongScale(value);
    }

    public int TotalPolls => Volatile.Read(ref _totalPolls);

    public int PollsBy(int index) => _polls.GetValueOrDefault(index);

    public WorkerData Init(int index)
    {
        OnInit?.Invoke(index);
        _workerIndex.Value = index;
        var data = new WorkerData(name, index, Interlocked.Increment(ref _serial));
        Inits.Enqueue(data);
        return data;
    }

    public Decision Work(ref WorkerData data)
    {
        Interlocked.Increment(ref data.Calls);
        var decision = OnWork(data);
        NoJobs.Wait(TimeSpan.FromMilliseconds(1));
        return decision;
    }

    public void Close(WorkerData data)
    {
        Interlocked.Increment(ref data.Closes);
        Closes.Enqueue(data);
        OnClose?.Invoke(data);
    }

    public Scale GetScale()
    {
        Interlocked.Increment(ref _totalPolls);
        _polls.AddOrUpdate(_workerIndex.Value, 1, static (_, n) => n + 1);
        return ScaleOverride?.Invoke() ?? _scale.Value;
    }

    private sealed class StrongScale(Scale value)
    {
        public Scale Value { get; } = value;
    }
}

internal static class DynamicTestKit
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    public static DynamicPoolOptions Options(FakeTimeProvider time) => new()
    {
        TimeProvider = time,
        PollInterval = Poll,
        ThreadNamePrefix = "dyn-test",
    };

    /// <summary>Waits (spinning, then yielding) until <paramref name="condition"/> holds; fails after 10 s.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(10)))
        {
            Assert.Fail($"Timed out waiting until {what}.");
        }
    }

    /// <summary>Every data built was closed exactly once.</summary>
    public static void AssertEachClosedOnce(IEnumerable<WorkerData> inits, IEnumerable<WorkerData> closes)
    {
        var built = inits.ToList();
        Assert.All(built, d => Assert.Equal(1, d.Closes));
        Assert.Equal(built.Select(d => d.Serial).Order(), closes.Select(d => d.Serial).Order());
    }

    public static int[] Indexes(IEnumerable<WorkerData> data) => data.Select(d => d.Index).ToArray();
}
