using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>Where a pool is in its life: it takes jobs only while running, and dispatches only while running or draining.</summary>
internal enum PoolPhase
{
    Running,
    Draining,
    Stopping,
    Killed,
}

/// <summary>Who waits for a pool's stop report: a sender of DrainPool/StopPool, or a Task-facade caller.</summary>
internal sealed record StopWaiter(IActorRef? Sender, TaskCompletionSource<PoolStopReport>? Reply);

/// <summary>
/// A pool's way out: its phase, the deadline, the kill cause, the callers waiting for the report, and when its workers
/// retire. Plain single-threaded state owned by the pool actor, which performs what it decides (cancelling jobs,
/// telling workers, timers), so the rules are tested without an ActorSystem.
/// </summary>
internal sealed class Shutdown(string poolName)
{
    private readonly List<StopWaiter> _waiters = [];
    private bool _deadlineArmed;

    public PoolPhase Phase { get; private set; } = PoolPhase.Running;

    /// <summary>The failure that killed the pool (its panic policy's verdict), or null.</summary>
    public Exception? KillCause { get; private set; }

    /// <summary>A stop deadline passed: everything still queued or running was cut off.</summary>
    public bool DeadlineReached { get; private set; }

    /// <summary>Jobs whose code was running when a deadline or a kill cut them off (see <see cref="PoolStopReport.RunningWhenCutOff"/>).</summary>
    public long RunningWhenCutOff { get; set; }

    /// <summary>Every worker has been told to retire: the pool no longer rescales.</summary>
    public bool RetiringAll { get; private set; }

    /// <summary>The pool takes new jobs.</summary>
    public bool Running => Phase == PoolPhase.Running;

    /// <summary>The pool hands jobs to workers (a drain finishes the backlog).</summary>
    public bool Dispatching => Phase is PoolPhase.Running or PoolPhase.Draining;

    /// <summary>
    /// A Drain (<paramref name="drain"/>) or Stop was asked for by <paramref name="waiter"/>. Returns the delay of the
    /// deadline timer to start now (null: none, already armed or passed), and whether the pool has just stopped taking
    /// jobs and whether it must cancel its queued jobs now (a Stop: they never start).
    /// </summary>
    public (TimeSpan? ArmDeadline, bool Closed, bool CancelQueued) Begin(bool drain, TimeSpan? deadline, StopWaiter waiter)
    {
        _waiters.Add(waiter);

        // A DrainPool/StopPool message is not validated by a caller: a negative deadline has passed already, and one
        // past what a timer can wait (TimeLimits.MaxDelay) means none, rather than a timer that throws.
        TimeSpan? arm = null;
        if (deadline is { } after && after <= TimeLimits.MaxDelay && !_deadlineArmed && !DeadlineReached)
        {
            _deadlineArmed = true;
            arm = after < TimeSpan.Zero ? TimeSpan.Zero : after;
        }

        if (Phase == PoolPhase.Running || (Phase == PoolPhase.Draining && !drain))
        {
            Phase = drain ? PoolPhase.Draining : PoolPhase.Stopping;
            return (arm, true, !drain);
        }

        return (arm, false, false);
    }

    /// <summary>The deadline timer fired; true when it cuts off work now (a drain becomes a stop).</summary>
    public bool ReachDeadline()
    {
        if (Phase == PoolPhase.Running || DeadlineReached)
        {
            return false;
        }

        DeadlineReached = true;
        if (Phase == PoolPhase.Draining)
        {
            Phase = PoolPhase.Stopping;
        }

        return true;
    }

    /// <summary>The panic policy killed the pool with <paramref name="cause"/>.</summary>
    public void Kill(Exception cause)
    {
        KillCause = cause;
        Phase = PoolPhase.Killed;
    }

    /// <summary>The actor stops from outside (its system shutting down): no more jobs.</summary>
    public void Terminating()
    {
        if (Phase == PoolPhase.Running)
        {
            Phase = PoolPhase.Stopping;
        }
    }

    /// <summary>
    /// Whether every worker should retire now: after a kill or a deadline at once (<c>Now</c>), after a stop once they
    /// ran what they hold, after a drain once the backlog is empty and every worker has reported all its jobs.
    /// </summary>
    public (bool Retire, bool Now) Retirement(bool backlogEmpty, bool workersIdle)
    {
        var now = Phase == PoolPhase.Killed || DeadlineReached;
        var retire = now || Phase == PoolPhase.Stopping || (Phase == PoolPhase.Draining && backlogEmpty && workersIdle);
        RetiringAll |= retire;
        return (retire, now);
    }

    /// <summary>The callers waiting for the stop report, removed: each gets it once.</summary>
    public List<StopWaiter>? TakeWaiters()
    {
        if (_waiters.Count == 0)
        {
            return null;
        }

        var waiters = new List<StopWaiter>(_waiters);
        _waiters.Clear();
        return waiters;
    }

    /// <summary>Gives every caller waiting now the stop report made of <paramref name="counters"/> (sent from <paramref name="pool"/>).</summary>
    public void Report(PoolCounters counters, IActorRef pool)
    {
        if (TakeWaiters() is not { } waiters)
        {
            return;
        }

        var report = counters.Report(DeadlineReached, RunningWhenCutOff);
        foreach (var waiter in waiters)
        {
            waiter.Sender?.Tell(report, pool);
            waiter.Reply?.TrySetResult(report);
        }
    }

    /// <summary>Why a job that reached the pool now is refused: the kill cause, or the phase.</summary>
    public string RefusalReason() => Phase == PoolPhase.Killed && KillCause is { } cause
        ? $"Pool '{poolName}' was killed: {cause.Message}"
        : $"Pool '{poolName}' is {Phase.ToString().ToLowerInvariant()} and accepts no new jobs.";
}
