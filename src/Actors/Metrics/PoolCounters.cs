using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Metrics;

/// <summary>
/// One pool's counters. Job counters are incremented by whichever thread settles the job (worker, supervisor or
/// a caller's cancellation), so they are interlocked; the gauges are written only by the supervisor.
/// </summary>
internal sealed class PoolCounters
{
    // One cache line per hot counter: Submitted is bumped by submitters and the supervisor, Completed by the
    // workers; sharing a line would make every job bounce it between cores.
    private PaddedCounter _submitted;
    private PaddedCounter _completed;
    private long _failed;
    private long _rejected;
    private long _cancelled;
    private long _restarts;

    public PoolCounters(string name)
    {
        Name = name;
        Tag = new KeyValuePair<string, object?>("pool", name);
    }

    public string Name { get; }

    public KeyValuePair<string, object?> Tag { get; }

    // Gauges: written by the supervisor only, read by stats requests from other threads.
    public int Busy { get; set; }

    public int Idle { get; set; }

    public int Backlog { get; set; }

    public int Workers { get; set; }

    public bool Killed { get; set; }

    public void AddSubmitted() => Add(ref _submitted.Value, PoolMetrics.Submitted);

    public void AddCompleted() => Add(ref _completed.Value, PoolMetrics.Completed);

    public void AddFailed() => Add(ref _failed, PoolMetrics.Failed);

    public void AddRejected() => Add(ref _rejected, PoolMetrics.Rejected);

    public void AddCancelled() => Add(ref _cancelled, PoolMetrics.Cancelled);

    public void AddRestart() => Add(ref _restarts, PoolMetrics.Restarts);

    public PoolStats Snapshot() => new()
    {
        Submitted = Volatile.Read(ref _submitted.Value),
        Completed = Volatile.Read(ref _completed.Value),
        Failed = Volatile.Read(ref _failed),
        Rejected = Volatile.Read(ref _rejected),
        Cancelled = Volatile.Read(ref _cancelled),
        Restarts = Volatile.Read(ref _restarts),
        Busy = Busy,
        Idle = Idle,
        Backlog = Backlog,
        Workers = Workers,
        Killed = Killed,
    };

    public PoolStopReport Report(bool deadlineReached) => new()
    {
        Completed = Volatile.Read(ref _completed.Value),
        Cancelled = Volatile.Read(ref _cancelled),
        DeadlineReached = deadlineReached,
    };

    private void Add(ref long field, System.Diagnostics.Metrics.Counter<long> instrument)
    {
        Interlocked.Increment(ref field);
        if (instrument.Enabled)
        {
            instrument.Add(1, Tag);
        }
    }
}

/// <summary>A counter alone on its cache line (128 bytes covers adjacent-line prefetching).</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 256)]
internal struct PaddedCounter
{
    [System.Runtime.InteropServices.FieldOffset(128)]
    public long Value;
}
