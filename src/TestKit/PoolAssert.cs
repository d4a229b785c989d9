using Actorpool.Actors.Pools;

namespace Actorpool.Testing;

/// <summary>
/// Assertions on the promise every pool makes: each submitted job gets exactly one outcome (completed, failed,
/// rejected or cancelled). They throw <see cref="PoolAssertionException"/> with the numbers that broke it.
/// </summary>
public static class PoolAssert
{
    /// <summary>Asserts submitted = completed + failed + rejected + cancelled (true once the pool is quiescent).</summary>
    /// <param name="stats">A snapshot from <c>GetStatsAsync</c>.</param>
    /// <param name="pool">The pool's name, for the message.</param>
    /// <exception cref="PoolAssertionException">The counters do not add up; the message shows them.</exception>
    public static void CountersBalance(PoolStats stats, string? pool = null)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var outcomes = Outcomes(stats);
        if (stats.Submitted != outcomes)
        {
            throw new PoolAssertionException(
                $"{Named(pool)}submitted ({stats.Submitted}) != completed ({stats.Completed}) + failed ({stats.Failed}) + rejected ({stats.Rejected}) + cancelled ({stats.Cancelled}) = {outcomes}: "
                + (stats.Submitted > outcomes ? $"{stats.Submitted - outcomes} job(s) without an outcome" : $"{outcomes - stats.Submitted} outcome(s) more than jobs")
                + $". {Describe(stats)}");
        }
    }

    /// <summary>Asserts that every one of <paramref name="jobs"/> (the tasks of submitted jobs) has completed: none is waiting or running.</summary>
    /// <param name="jobs">The submitted jobs' tasks, in submission order.</param>
    /// <param name="pool">The pool's name, for the message.</param>
    /// <exception cref="PoolAssertionException">Some job has no outcome; the message counts them and gives their positions.</exception>
    public static void EveryJobHasOutcome(IEnumerable<Task> jobs, string? pool = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var all = jobs.ToArray();
        var pending = Pending(all);
        if (pending.Count > 0)
        {
            throw new PoolAssertionException(
                $"{Named(pool)}{pending.Count} of {all.Length} job(s) have no outcome (still queued or running): job(s) #{string.Join(", #", pending.Take(20))}{(pending.Count > 20 ? ", …" : string.Empty)}"
                + $" (numbered from 1 in submission order); {all.Count(j => j.IsCompletedSuccessfully)} completed, {all.Count(j => j.IsFaulted)} faulted, {all.Count(j => j.IsCanceled)} cancelled.");
        }
    }

    /// <summary>The pool's counters in one line, as the assertions print them.</summary>
    public static string Describe(PoolStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return $"Stats: submitted {stats.Submitted}, completed {stats.Completed}, failed {stats.Failed}, rejected {stats.Rejected}, cancelled {stats.Cancelled}; "
            + $"backlog {stats.Backlog}, busy {stats.Busy}, idle {stats.Idle}, workers {stats.Workers}, restarts {stats.Restarts}{(stats.Killed ? ", killed" : string.Empty)}.";
    }

    /// <summary>No job waits or runs and every submitted job has its outcome.</summary>
    internal static bool IsQuiescent(PoolStats stats, bool terminated) =>
        (terminated || (stats.Backlog == 0 && stats.Busy == 0)) && stats.Submitted == Outcomes(stats);

    /// <summary>The 1-based positions of the jobs without an outcome.</summary>
    internal static List<int> Pending(IReadOnlyList<Task> jobs)
    {
        var pending = new List<int>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!jobs[i].IsCompleted)
            {
                pending.Add(i + 1);
            }
        }

        return pending;
    }

    private static long Outcomes(PoolStats stats) => stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled;

    private static string Named(string? pool) => pool is null ? string.Empty : $"Pool '{pool}': ";
}
