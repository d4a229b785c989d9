namespace Actorpool;

/// <summary>A spawned background task with a result; see <see cref="TaskHandle"/>.</summary>
public sealed class TaskHandle<T> : TaskHandle
{
    private Func<T>? _function; // cleared after the run so the closure can be collected
    private T _result = default!;

    internal TaskHandle(Func<T> function) => _function = function;

    /// <summary>Waits for the result (running the task inline if it has not started) or rethrows its failure.</summary>
    /// <exception cref="OperationCanceledException">The task was cancelled before it started.</exception>
    public new T Join()
    {
        base.Join();
        return _result;
    }

    /// <summary>Non-blocking <see cref="Join"/>: false while the task runs on another thread.</summary>
    public bool TryJoin(out T result)
    {
        if (TryJoin())
        {
            result = _result;
            return true;
        }

        result = default!;
        return false;
    }

    /// <summary>A Task with the result; never runs the task inline.</summary>
    public new Task<T> AsTask() => AwaitResult(base.AsTask());

    private protected override void RunBody()
    {
        var function = _function!;
        _function = null;
        _result = function();
    }

    private async Task<T> AwaitResult(Task done)
    {
        await done.ConfigureAwait(false);
        return _result;
    }
}

/// <summary>The handle of a spawned action.</summary>
internal sealed class ActionTaskHandle(Action action) : TaskHandle
{
    private Action? _action = action;

    private protected override void RunBody()
    {
        var action = _action!;
        _action = null;
        action();
    }
}
