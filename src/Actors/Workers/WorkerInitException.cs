namespace Actorpool.Actors.Workers;

/// <summary>A pool's <c>Init</c> threw while building the state of a worker; the panic policy handles it like a job failure.</summary>
public sealed class WorkerInitException : Exception
{
    /// <summary>Wraps the exception <c>Init</c> threw for worker <paramref name="index"/>.</summary>
    public WorkerInitException(int index, Exception innerException)
        : base($"Init of worker {index} failed: {innerException.Message}", innerException)
    {
        Index = index;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public WorkerInitException()
        : base("Init of a worker failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WorkerInitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public WorkerInitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The index of the worker whose state could not be built; <c>null</c> when unknown.</summary>
    public int? Index { get; }
}
