using Actorpool.Actors.Metrics;

namespace Actorpool.Actors.Pools;

/// <summary>A snapshot of a pool's counters; at a quiescent point Submitted = Completed + Failed + Rejected + Cancelled.</summary>
public sealed record PoolStats
{
    /// <summary>Jobs submitted, by message or through the Task facade.</summary>
    public long Submitted { get; init; }

    /// <summary>Jobs that returned a result.</summary>
    public long Completed { get; init; }

    /// <summary>Jobs whose failure was reported (after any retries).</summary>
    public long Failed { get; init; }

    /// <summary>Jobs refused: backlog full, or the pool stopping.</summary>
    public long Rejected { get; init; }

    /// <summary>Jobs cancelled: by the caller, by Stop, by a deadline or by a Kill.</summary>
    public long Cancelled { get; init; }

    /// <summary>Worker restarts made by the panic policy.</summary>
    public long Restarts { get; init; }

    /// <summary>Workers with at least one job handed to them.</summary>
    public int Busy { get; init; }

    /// <summary>Ready workers with no job.</summary>
    public int Idle { get; init; }

    /// <summary>Jobs waiting in the supervisor.</summary>
    public int Backlog { get; init; }

    /// <summary>Workers alive and not retiring.</summary>
    public int Workers { get; init; }

    /// <summary><c>true</c> once the panic policy (or an exhausted restart budget) killed the pool.</summary>
    public bool Killed { get; init; }
}

/// <summary>What a Drain or Stop achieved: totals at the moment it finished, and whether its deadline cut it short.</summary>
public sealed record PoolStopReport
{
    /// <summary>Jobs completed over the pool's life.</summary>
    public long Completed { get; init; }

    /// <summary>Jobs cancelled over the pool's life (by Stop, a deadline, a Kill or their callers).</summary>
    public long Cancelled { get; init; }

    /// <summary><c>true</c> when the deadline expired before the pool finished what it promised.</summary>
    public bool DeadlineReached { get; init; }

    /// <summary>
    /// Jobs whose code was still running when a deadline or a kill cut them off: each got its outcome (cancelled) and
    /// its cancellation token fired, but keeps its worker until its code returns. A job that ignores its token is
    /// among them; <c>Completion</c> completes once all have returned.
    /// </summary>
    public long RunningWhenCutOff { get; init; }
}

/// <summary>What a pool reports from its counters: a stats snapshot, or the report of a stop.</summary>
internal static class PoolCounterReports
{
    public static PoolStats Snapshot(this PoolCounters counters) => new()
    {
        Submitted = counters.Submitted,
        Completed = counters.Completed,
        Failed = counters.Failed,
        Rejected = counters.Rejected,
        Cancelled = counters.Cancelled,
        Restarts = counters.Restarts,
        Busy = counters.Busy,
        Idle = counters.Idle,
        Backlog = counters.Backlog,
        Workers = counters.Workers,
        Killed = counters.Killed,
    };

    public static PoolStopReport Report(this PoolCounters counters, bool deadlineReached, long runningWhenCutOff = 0) => new()
    {
        Completed = counters.Completed,
        Cancelled = counters.Cancelled,
        DeadlineReached = deadlineReached,
        RunningWhenCutOff = runningWhenCutOff,
    };
}
