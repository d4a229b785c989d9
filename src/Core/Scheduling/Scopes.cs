namespace Actorpool;

/// <summary>
/// <see cref="WorkStealingPool.Scope"/>: runs the body with a <see cref="TaskScope"/>, then waits for the scope's
/// jobs; the scope's jobs go to the pool's background queue (and to the scope's own queue, which its owner runs).
/// </summary>
internal static class Scopes
{
    /// <summary>Runs <paramref name="body"/> in a new scope and closes it (waits, then rethrows); arguments are already checked.</summary>
    internal static void Run(WorkStealingPool pool, Action<TaskScope> body, int? backlog)
    {
        var scope = new TaskScope(pool, backlog);
        Exception? bodyError = null;
        try
        {
            body(scope);
        }
        catch (Exception ex)
        {
            bodyError = ex;
        }

        scope.Close(bodyError);
    }

    /// <summary>Offers a scope's job to the pool's workers.</summary>
    internal static void Enqueue(WorkStealingPool pool, ScopeJob job)
    {
        // After Dispose the scope's owner runs its jobs from the scope's own queue.
        if (!pool.IsDisposed)
        {
            BackgroundQueue.Enqueue(pool, job);
        }
    }
}
