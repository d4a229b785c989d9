namespace Actorpool.Actors.Jobs;

/// <summary>
/// A job sent to a pool by message (<c>pool.Ref.Tell(Submit.Run(...), Self)</c>): either a job message handled by
/// the pool's <c>Handle</c> function or a closure over the worker's state. The sender gets exactly one outcome:
/// <see cref="JobCompleted"/>, <see cref="JobFailed"/>, <see cref="JobRejected"/> or <see cref="JobCancelled"/>.
/// </summary>
public sealed class Submit
{
    private Submit(long jobId, object? message, Delegate? work, Func<Delegate, object?, object?>? invoke)
    {
        JobId = jobId;
        JobMessage = message;
        _work = work;
        _invoke = invoke;
    }

    // The caller's closure as given and the shared, non-capturing adapter that runs it on an untyped state, so a
    // submit allocates no wrapper closure.
    private readonly Delegate? _work;
    private readonly Func<Delegate, object?, object?>? _invoke;

    /// <summary>The caller's id for this job; every outcome carries it.</summary>
    public long JobId { get; }

    /// <summary>The job message handed to the pool's <c>Handle</c> function, or <c>null</c> for a closure job.</summary>
    public object? JobMessage { get; }

    /// <summary>Whether this is a closure job (else a job message).</summary>
    internal bool IsClosure => _work is not null;

    /// <summary>Runs the closure on the worker's state (closure jobs only).</summary>
    internal object? RunOn(object? state) => _invoke!(_work!, state);

    /// <summary>A job message that the pool's <c>Handle</c> function handles on a worker.</summary>
    public static Submit Message(long jobId, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Submit(jobId, message, null, null);
    }

    /// <summary>A closure run on a worker with that worker's state; its return value is the completed result.</summary>
    public static Submit Run<TState>(long jobId, Func<TState, object?> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Submit(jobId, null, work, Adapter<TState>.Invoke);
    }

    private static class Adapter<TState>
    {
        public static readonly Func<Delegate, object?, object?> Invoke = static (work, state) => ((Func<TState, object?>)work)((TState)state!);
    }
}
