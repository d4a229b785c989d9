using Actorpool.Actors.Jobs;

namespace Actorpool.Actors.Workers;

/// <summary>
/// What the supervisor and the worker's incarnations share across restarts: the worker's index and the moment
/// before which its next incarnation must not build its state (written by the supervisor when it decides a
/// restart, read by the new incarnation), so the backoff counts from the failure, not from the restart.
/// </summary>
internal sealed class WorkerLink(int index)
{
    private long _notBeforeTicks;

    public int Index { get; } = index;

    public void SetBackoff(DateTimeOffset now, TimeSpan backoff) =>
        Volatile.Write(ref _notBeforeTicks, backoff > TimeSpan.Zero ? (now + backoff).UtcTicks : 0);

    /// <summary>The moment the starting incarnation may build its state, or <c>null</c> for at once (read once per incarnation).</summary>
    public DateTimeOffset? TakeNotBefore()
    {
        var notBefore = Interlocked.Exchange(ref _notBeforeTicks, 0);
        return notBefore == 0 ? null : new DateTimeOffset(notBefore, TimeSpan.Zero);
    }
}

/// <summary>
/// Jobs handed to a worker in one message (the first <see cref="Count"/> of <see cref="Jobs"/>); it reports them
/// with one <see cref="WorkerDone"/>. A batch belongs to one worker and is reused once the worker reported it
/// done with its own <see cref="Done"/> notice, so handing out work allocates nothing per batch.
/// </summary>
internal sealed class JobBatch : Akka.Actor.INoSerializationVerificationNeeded
{
    public JobBatch(WorkerLink link, int capacity)
    {
        Jobs = new JobEnvelope[capacity];
        Done = new WorkerDone(link, 0, null, this);
    }

    /// <summary>Filled by the supervisor before it sends the batch; read by the worker (the Tell publishes them).</summary>
    public JobEnvelope[] Jobs { get; }

    public int Count { get; set; }

    /// <summary>How long the worker took for the whole batch (<see cref="System.Diagnostics.Stopwatch"/> ticks), set before <see cref="Done"/> is sent.</summary>
    public long RunTicks { get; set; }

    /// <summary>The notice the worker sends when it ran (or skipped) all of them without a failure.</summary>
    public WorkerDone Done { get; }
}

/// <summary>The worker built its state and can take jobs.</summary>
internal sealed record WorkerReady(WorkerLink Link) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>
/// The worker is done with the next <see cref="Count"/> jobs handed to it; <see cref="Returned"/> are jobs it did not
/// finish (a retry, then the rest of a batch cut short by a failure), in order. <see cref="Batch"/> is set when this
/// is the batch's own notice (the batch went through whole): the supervisor may reuse it.
/// </summary>
internal sealed class WorkerDone(WorkerLink link, int count, JobEnvelope[]? returned, JobBatch? batch = null) : Akka.Actor.INoSerializationVerificationNeeded
{
    public WorkerLink Link { get; } = link;

    public int Count => Batch?.Count ?? count;

    public JobEnvelope[]? Returned { get; } = returned;

    public JobBatch? Batch { get; } = batch;
}

/// <summary>Stop after the jobs already handed over (they run, or are skipped when cancelled).</summary>
internal sealed class Retire : Akka.Actor.INoSerializationVerificationNeeded
{
    private Retire(bool now) => Now = now;

    public static Retire AfterQueued { get; } = new(false);

    /// <summary>Also stop a worker still waiting to build its state (backoff): its jobs are all cancelled.</summary>
    public static Retire Immediately { get; } = new(true);

    public bool Now { get; }
}

/// <summary>Build the worker's state now (sent by the worker to itself, after a backoff if any).</summary>
internal sealed class InitNow : Akka.Actor.INoSerializationVerificationNeeded
{
    public static InitNow Instance { get; } = new();
}

/// <summary>A pool broadcast handed to one worker: it runs the pool's <c>Handle</c> on its state (no outcome).</summary>
internal sealed record WorkerBroadcast(object Message) : Akka.Actor.INoSerializationVerificationNeeded;
