using System.Runtime.CompilerServices;

namespace Actorpool;

/// <summary>A job that receives its thread's scope state by reference.</summary>
public delegate void StateAction<TState>(ref TState state);

/// <summary>
/// A <see cref="TaskScope"/> view whose jobs share one state per thread (the "one database connection per
/// thread" case); see <see cref="TaskScope.WithState{TState}"/>.
/// </summary>
public sealed class TaskScope<TState> : IScopeState
{
    private readonly TaskScope _scope;
    private readonly Func<TState> _init;
    private readonly ThreadLocal<StrongBox<TState>> _states = new(trackAllValues: true);

    internal TaskScope(TaskScope scope, Func<TState> init)
    {
        _scope = scope;
        _init = init;
    }

    /// <summary>The scope this view belongs to.</summary>
    public TaskScope Scope => _scope;

    /// <summary>
    /// Queues <paramref name="job"/> in the scope; it runs with the running thread's state (built on first use).
    /// If building the state throws, the job fails with that exception and the next job on that thread retries.
    /// </summary>
    /// <exception cref="InvalidOperationException">The scope has already ended.</exception>
    public void Spawn(StateAction<TState> job)
    {
        ArgumentNullException.ThrowIfNull(job);
        _scope.Add(new StateScopeJob<TState>(_scope, this, job));
    }

    internal ref TState StateOfCurrentThread()
    {
        var box = _states.Value;
        if (box is null)
        {
            box = new StrongBox<TState>(_init());
            _states.Value = box;
        }

        return ref box.Value!;
    }

    void IScopeState.Close(List<Exception> errors)
    {
        foreach (var box in _states.Values)
        {
            if (box.Value is IDisposable disposable)
            {
                try
                {
                    disposable.Dispose();
                }
                catch (Exception ex)
                {
                    errors.Add(ex);
                }
            }
        }

        _states.Dispose();
    }
}
