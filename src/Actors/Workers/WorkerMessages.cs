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

    /// <summary>How long the starting incarnation still has to wait; zero when it may start at once.</summary>
    public TimeSpan TakeBackoff(DateTimeOffset now)
    {
        var notBefore = Interlocked.Exchange(ref _notBeforeTicks, 0);
        return notBefore == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, notBefore - now.UtcTicks));
    }
}

/// <summary>Several jobs handed to a worker in one message; it reports them with one <see cref="WorkerDone"/>.</summary>
internal sealed record JobBatch(JobEnvelope[] Jobs);

/// <summary>The worker built its state and can take jobs.</summary>
internal sealed record WorkerReady(WorkerLink Link);

/// <summary>
/// The worker is done with the next <paramref name="Count"/> jobs handed to it; <paramref name="Returned"/> are
/// jobs it did not finish (a retry, then the rest of a batch cut short by a failure), in order.
/// </summary>
internal sealed record WorkerDone(WorkerLink Link, int Count, JobEnvelope[]? Returned);

/// <summary>Stop after the jobs already handed over (they run, or are skipped when cancelled).</summary>
internal sealed class Retire
{
    private Retire(bool now) => Now = now;

    public static Retire AfterQueued { get; } = new(false);

    /// <summary>Also stop a worker still waiting to build its state (backoff): its jobs are all cancelled.</summary>
    public static Retire Immediately { get; } = new(true);

    public bool Now { get; }
}

/// <summary>Build the worker's state now (sent by the worker to itself, after a backoff if any).</summary>
internal sealed class InitNow
{
    public static InitNow Instance { get; } = new();
}
