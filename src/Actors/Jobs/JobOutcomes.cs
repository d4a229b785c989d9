namespace Actorpool.Actors.Jobs;

/// <summary>
/// The one outcome every submitted job gets, sent to the submitter. Sent only to an actor in the pool's own process
/// (a <see cref="Submit"/> never crosses one), so Akka's serialize-messages check skips it (a failure carries an exception object).
/// </summary>
/// <param name="JobId">The id given in <see cref="Submit"/>.</param>
public abstract record JobOutcome(long JobId) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>The job ran and returned <paramref name="Result"/>.</summary>
public sealed record JobCompleted(long JobId, object? Result) : JobOutcome(JobId);

/// <summary>The job threw <paramref name="Cause"/> (after any retries); the pool's panic policy handled the worker.</summary>
public sealed record JobFailed(long JobId, Exception Cause) : JobOutcome(JobId);

/// <summary>The job was never accepted: the backlog was full or the pool was stopping.</summary>
public sealed record JobRejected(long JobId, string Reason) : JobOutcome(JobId);

/// <summary>The job was accepted but will not run (or its result is discarded): Stop, a deadline, a Kill or its caller.</summary>
public sealed record JobCancelled(long JobId, string Reason) : JobOutcome(JobId);

/// <summary>The exception a Task facade job faults with when the pool rejects it.</summary>
public sealed class JobRejectedException : InvalidOperationException
{
    /// <summary>Creates the exception with the pool's reason.</summary>
    public JobRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public JobRejectedException()
        : base("The pool rejected the job.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public JobRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The exception a Task facade job faults with when the pool cancels it (Stop, deadline, Kill).</summary>
public sealed class JobCancelledException : OperationCanceledException
{
    /// <summary>Creates the exception with the pool's reason.</summary>
    public JobCancelledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public JobCancelledException()
        : base("The pool cancelled the job.")
    {
    }

    /// <summary>Creates the exception with a reason and the failure that caused it (the Kill's cause).</summary>
    public JobCancelledException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
