namespace Actorpool.Actors.Metrics;

/// <summary>
/// One pool's counters. Job counters are incremented by whichever thread settles the job (worker, supervisor or
/// a caller's cancellation), so they are interlocked; the two hot ones (Submitted, Completed) are striped by
/// thread, one cache line per stripe, so the supervisor and each worker thread bump lines of their own instead of
/// bouncing one line per job; a read sums the stripes. The gauges are written only by the supervisor.
/// </summary>
internal sealed class PoolCounters
{
    // Stripes per hot counter (a power of two): threads are spread by managed thread id, so a few threads
    // (the dispatcher's, the submitters') rarely share a stripe; sharing one costs speed, never a count.
    private const int Stripes = 8;

    // One cache line per stripe: Submitted is bumped by submitters and the supervisor, Completed by the workers.
    private readonly PaddedCounter[] _submitted = new PaddedCounter[Stripes];
    private readonly PaddedCounter[] _completed = new PaddedCounter[Stripes];
    private long _failed;
    private long _rejected;
    private long _cancelled;
    private long _restarts;

    public PoolCounters(string name, string kind = PoolKinds.Actor, PoolInstruments? instruments = null)
    {
        Name = name;
        Instruments = instruments ?? PoolInstruments.Default;
        Tag = new KeyValuePair<string, object?>("pool", name);
        KindTag = new KeyValuePair<string, object?>(PoolKinds.TagName, kind);
        Tags = [Tag, KindTag];
    }

    public string Name { get; }

    /// <summary>The instruments of the meter the pool reports to (the process-wide one unless it was given a meter factory).</summary>
    public PoolInstruments Instruments { get; }

    /// <summary>The <c>pool</c> tag: the pool's name.</summary>
    public KeyValuePair<string, object?> Tag { get; }

    /// <summary>The <c>pool.kind</c> tag (<see cref="PoolKinds"/>).</summary>
    public KeyValuePair<string, object?> KindTag { get; }

    /// <summary>Both tags, as the observable gauges report them.</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>
    /// Refreshes the gauges just before the meter observes them, for a kind whose gauges are read from elsewhere
    /// rather than written by a supervisor (a dynamic or up/down pool); <c>null</c> for actor pools. Set once, before
    /// the counters are registered with their <see cref="Instruments"/>.
    /// </summary>
    public Action? Sample { get; set; }

    // Gauges: written by the supervisor only (on every dispatch), read by stats requests from other threads. Kept
    // 128 bytes away from every other field: a submitter reads this object's references (the stripes, Instruments)
    // on every job, and sharing their cache line with these writes cost a quarter of the message API's throughput.
    private PaddedGauges _gauges;

    public int Busy { get => _gauges.Busy; set => _gauges.Busy = value; }

    public int Idle { get => _gauges.Idle; set => _gauges.Idle = value; }

    public int Backlog { get => _gauges.Backlog; set => _gauges.Backlog = value; }

    public int Workers { get => _gauges.Workers; set => _gauges.Workers = value; }

    public bool Killed { get; set; }

    public long Submitted => Sum(_submitted);

    public long Completed => Sum(_completed);

    public void AddSubmitted() => Add(ref Stripe(_submitted), Instruments.Submitted);

    public void AddCompleted() => Add(ref Stripe(_completed), Instruments.Completed);

    public void AddFailed() => Add(ref _failed, Instruments.Failed);

    public void AddRejected() => Add(ref _rejected, Instruments.Rejected);

    public void AddCancelled() => Add(ref _cancelled, Instruments.Cancelled);

    public void AddRestart() => Add(ref _restarts, Instruments.Restarts);

    public long Failed => Volatile.Read(ref _failed);

    public long Rejected => Volatile.Read(ref _rejected);

    public long Cancelled => Volatile.Read(ref _cancelled);

    public long Restarts => Volatile.Read(ref _restarts);

    private static ref long Stripe(PaddedCounter[] stripes) => ref stripes[Environment.CurrentManagedThreadId & (Stripes - 1)].Value;

    private static long Sum(PaddedCounter[] stripes)
    {
        long sum = 0;
        for (var i = 0; i < stripes.Length; i++)
        {
            sum += Volatile.Read(ref stripes[i].Value);
        }

        return sum;
    }

    private void Add(ref long field, System.Diagnostics.Metrics.Counter<long> instrument)
    {
        Interlocked.Increment(ref field);
        if (instrument.Enabled)
        {
            instrument.Add(1, Tag, KindTag);
        }
    }
}

/// <summary>A pool's gauges on a cache line of their own (128 bytes either side, as <see cref="PaddedCounter"/>).</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 256)]
internal struct PaddedGauges
{
    [System.Runtime.InteropServices.FieldOffset(128)]
    public int Busy;

    [System.Runtime.InteropServices.FieldOffset(132)]
    public int Idle;

    [System.Runtime.InteropServices.FieldOffset(136)]
    public int Backlog;

    [System.Runtime.InteropServices.FieldOffset(140)]
    public int Workers;
}

/// <summary>A counter alone on its cache line (128 bytes covers adjacent-line prefetching).</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 256)]
internal struct PaddedCounter
{
    [System.Runtime.InteropServices.FieldOffset(128)]
    public long Value;
}
