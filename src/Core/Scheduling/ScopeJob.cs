namespace Actorpool;

/// <summary>A job of a <see cref="TaskScope"/>; whoever claims it first (a worker or the scope's owner) runs it.</summary>
internal abstract class ScopeJob(TaskScope scope)
{
    private int _claimed; // 0 → 1 by the one thread that runs the job

    internal TaskScope Scope { get; } = scope;

    /// <summary>Runs the job unless another thread claimed it; true when this call ran it.</summary>
    internal bool TryRun()
    {
        if (Volatile.Read(ref _claimed) != 0 || Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return false;
        }

        Scope.Run(this);
        return true;
    }

    internal abstract void RunBody();
}

internal sealed class PlainScopeJob(TaskScope scope, Action body) : ScopeJob(scope)
{
    internal override void RunBody() => body();
}

internal sealed class StateScopeJob<TState>(TaskScope scope, TaskScope<TState> view, StateAction<TState> body) : ScopeJob(scope)
{
    internal override void RunBody() => body(ref view.StateOfCurrentThread());
}
