namespace Actorpool;

public sealed partial class WorkStealingPool
{
    /// <summary>
    /// Runs <paramref name="body"/> with a scope to spawn background jobs into, and returns only when every
    /// job spawned in it has finished, even if the body or a job threw; then rethrows (an
    /// <see cref="AggregateException"/> when several failed). The caller helps run the scope's jobs while it
    /// waits. With <paramref name="backlog"/>, Spawn blocks (helping) while that many jobs are queued.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="backlog"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public void Scope(Action<TaskScope> body, int? backlog = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (backlog is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(backlog), backlog, $"Backlog must be at least 1, was {backlog}.");
        }

        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var scope = new TaskScope(this, backlog);
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

    internal void EnqueueScopeJob(ScopeJob job)
    {
        // After Dispose the scope's owner runs its jobs from the scope's own queue.
        if (!IsDisposed)
        {
            EnqueueBackground(job);
        }
    }
}
