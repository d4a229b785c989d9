namespace Actorpool.Testing;

/// <summary>Thrown by <see cref="PoolAssert"/> and the quiescence wait when a pool broke a promise; the message shows its counters.</summary>
public sealed class PoolAssertionException : Exception
{
    /// <summary>Creates the exception with a message saying what was broken.</summary>
    public PoolAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public PoolAssertionException()
        : base("A pool assertion failed.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public PoolAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
