namespace Actorpool.Dynamic;

/// <summary>
/// Ends a dynamic pool run in which at least one worker threw (from <c>Init</c>, <c>Work</c>, <c>Close</c> or the
/// scale function). <see cref="AggregateException.InnerExceptions"/> holds every exception thrown, in the order
/// they were caught, not just the first.
/// </summary>
public sealed class PoolPanicException : AggregateException
{
    /// <summary>Creates the exception for a run whose workers threw <paramref name="exceptions"/>.</summary>
    public PoolPanicException(IEnumerable<Exception> exceptions)
        : this(exceptions as IList<Exception> ?? [.. exceptions])
    {
    }

    /// <summary>Creates the exception with a custom message; for tests and wrappers.</summary>
    public PoolPanicException(string message, IEnumerable<Exception> exceptions)
        : base(message, exceptions)
    {
    }

    /// <summary>Creates an exception carrying no worker exceptions.</summary>
    public PoolPanicException()
        : base("A dynamic pool worker panicked.")
    {
    }

    /// <summary>Creates an exception carrying no worker exceptions, with a custom message.</summary>
    public PoolPanicException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception carrying one worker exception.</summary>
    public PoolPanicException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private PoolPanicException(IList<Exception> exceptions)
        : base($"{exceptions.Count} dynamic pool worker exception(s); the run was stopped.", exceptions)
    {
    }
}
