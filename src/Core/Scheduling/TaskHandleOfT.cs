namespace Actorpool;

/// <summary>
/// A spawned background task with a result; see <see cref="TaskHandle"/>. For a struct job spawned with
/// <see cref="WorkStealingPool.Spawn{TJob}(TJob)"/> the result is the job itself after it ran, so values it
/// stored in its fields reach the caller (as with <see cref="WorkStealingPool.Join{TA, TB}(ref TA, ref TB)"/>).
/// </summary>
public abstract class TaskHandle<T> : TaskHandle
{
    // Written by the runner before the final state's full fence; read after the state says Succeeded. A struct
    // job handle keeps its job here from the start and runs it in place, so the handle is its only allocation.
    private protected T Result = default!;

    private protected TaskHandle()
    {
    }

    /// <summary>Waits for the result (running the task inline if it has not started) or rethrows its failure.</summary>
    /// <exception cref="OperationCanceledException">The task was cancelled before it started.</exception>
    public new T Join()
    {
        base.Join();
        return Result;
    }

    /// <summary>Non-blocking <see cref="Join"/>: false while the task runs on another thread.</summary>
    public bool TryJoin(out T result)
    {
        if (TryJoin())
        {
            result = Result;
            return true;
        }

        result = default!;
        return false;
    }

    /// <summary>A Task with the result; never runs the task inline.</summary>
    public new Task<T> AsTask() => AwaitResult(base.AsTask());

    private async Task<T> AwaitResult(Task done)
    {
        await done.ConfigureAwait(false);
        return Result;
    }
}

/// <summary>The handle of a spawned function.</summary>
internal sealed class FuncTaskHandle<T>(Func<T> function) : TaskHandle<T>
{
    private Func<T>? _function = function; // cleared after the run so the closure can be collected

    private protected override void RunBody()
    {
        var function = _function!;
        _function = null;
        Result = function();
    }
}

/// <summary>
/// The handle of a spawned struct job: the job lives in the handle's result field and runs there in place, so
/// a spawn allocates this object and nothing else (no delegate, no closure, no box).
/// </summary>
internal sealed class JobTaskHandle<TJob> : TaskHandle<TJob>
    where TJob : struct, IJob
{
    internal JobTaskHandle(in TJob job) => Result = job;

    // A constrained call on the field itself: Run mutates the stored job, not a copy.
    private protected override void RunBody() => Result.Run();
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
