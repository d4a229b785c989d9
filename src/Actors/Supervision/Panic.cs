namespace Actorpool.Actors.Supervision;

/// <summary>What one failure costs: the kind, the backoff before a restart, and the cause a Kill reports.</summary>
internal readonly record struct PanicVerdict(PanicKind Kind, TimeSpan Backoff, Exception? KillCause);

/// <summary>
/// A pool's panic policy at work: the decision for one failure and the restart window, one implementation for every
/// kind of pool (actor pools, actor and thread up/down pools). Kill kills at the first failure; Resume keeps the
/// worker unless it could not build its state (then it is restarted, as there is nothing to resume); Respawn
/// restarts within the budget, and a crash loop that spends it kills the pool. The backoff follows
/// <see cref="RestartBudget"/>; without a budget a worker that failed before doing anything still backs off, since
/// nothing else would end its loop. Single-threaded: the owner (an actor, or a lock) serialises calls.
/// </summary>
internal sealed class Panic(PanicPolicy policy, TimeProvider time)
{
    private readonly RestartWindow _window = new(policy.Budget, time);

    public PanicPolicy Policy => policy;

    /// <summary>
    /// Judges a failure. <paramref name="noProgress"/>: the worker failed before doing any work (its state could not be
    /// built); <paramref name="attempt"/>: which consecutive restart of this worker this would be (1-based).
    /// </summary>
    public PanicVerdict Judge(Exception cause, bool noProgress, int attempt)
    {
        if (policy.Kind == PanicKind.Kill)
        {
            return new(PanicKind.Kill, TimeSpan.Zero, cause);
        }

        if (policy.Kind == PanicKind.Resume && !noProgress)
        {
            return new(PanicKind.Resume, TimeSpan.Zero, null);
        }

        if (!_window.TryRecord())
        {
            return new(PanicKind.Kill, TimeSpan.Zero, new RestartBudgetExceededException(policy.Budget!, cause));
        }

        return new(PanicKind.Respawn, RestartBudget.Backoff(policy.Budget, attempt, noProgress && policy.Budget is null), null);
    }
}
