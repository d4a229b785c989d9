namespace Actorpool;

/// <summary>
/// A unit of work as a value type, for allocation-free <see cref="WorkStealingPool.Join{TA, TB}(ref TA, ref TB)"/>:
/// the pool copies the struct, runs <see cref="Run"/> (possibly on another thread) and copies it back, so
/// results stored in its fields reach the caller. <see cref="WorkStealingPool.Spawn{TJob}(TJob)"/> takes one too,
/// with its handle as the only allocation; there the results come back in the job that
/// <see cref="TaskHandle{T}.Join"/> returns.
/// </summary>
public interface IJob
{
    /// <summary>Does the work. May throw; the exception reaches the caller of Join.</summary>
    void Run();
}

/// <summary>An <see cref="IJob"/> over an <see cref="Action"/>.</summary>
internal struct ActionJob(Action action) : IJob
{
    public readonly void Run() => action();
}

/// <summary>An <see cref="IJob"/> over a <see cref="Func{TResult}"/>, keeping its result.</summary>
internal struct FuncJob<T>(Func<T> function) : IJob
{
    public T Result = default!;

    public void Run() => Result = function();
}
