namespace Actorpool.Actors.Jobs;

/// <summary>
/// A job sent to a pool by message (<c>pool.Ref.Tell(Submit.Run(...), Self)</c>): either a job message handled by
/// the pool's <c>Handle</c> function or a closure over the worker's state. The sender gets exactly one outcome:
/// <see cref="JobCompleted"/>, <see cref="JobFailed"/>, <see cref="JobRejected"/> or <see cref="JobCancelled"/>.
/// </summary>
public sealed class Submit
{
    private Submit(long jobId, object? message, Func<object?, object?>? work)
    {
        JobId = jobId;
        JobMessage = message;
        Work = work;
    }

    /// <summary>The caller's id for this job; every outcome carries it.</summary>
    public long JobId { get; }

    /// <summary>The job message handed to the pool's <c>Handle</c> function, or <c>null</c> for a closure job.</summary>
    public object? JobMessage { get; }

    /// <summary>The closure over the worker's state, or <c>null</c> for a message job.</summary>
    internal Func<object?, object?>? Work { get; }

    /// <summary>A job message that the pool's <c>Handle</c> function handles on a worker.</summary>
    public static Submit Message(long jobId, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Submit(jobId, message, null);
    }

    /// <summary>A closure run on a worker with that worker's state; its return value is the completed result.</summary>
    public static Submit Run<TState>(long jobId, Func<TState, object?> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Submit(jobId, null, state => work((TState)state!));
    }
}
