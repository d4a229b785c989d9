namespace Actorpool.Dynamic;

/// <summary>
/// The work part of a dynamic system: builds, runs and closes one worker's data. A pool calls these from the
/// worker's own thread only, so <typeparamref name="TData"/> needs no synchronisation of its own.
/// </summary>
/// <typeparam name="TData">The per-worker data (a connection, a buffer, a closure).</typeparam>
public interface IDynamicWork<TData>
{
    /// <summary>Builds the data of worker <paramref name="index"/> when it first becomes active or restarts.</summary>
    TData Init(int index);

    /// <summary>Does one unit of work with the worker's data and says what the worker does next.</summary>
    Decision Work(ref TData data);

    /// <summary>
    /// Receives the data of a worker that is ending, restarting or switching systems; called exactly once per
    /// <see cref="Init"/>. The default disposes the data when it is <see cref="IDisposable"/>.
    /// </summary>
    void Close(TData data)
    {
        if (data is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}

/// <summary>The scale part of a dynamic system: how many workers there should be right now.</summary>
public interface IDynamicScale
{
    /// <summary>
    /// Answers how many workers should run; <see cref="Scale.Shutdown"/> ends the run. Called often and from
    /// every worker thread at once, so it must be cheap and thread-safe.
    /// </summary>
    Scale GetScale();
}

/// <summary>
/// A system a <see cref="DynamicPool"/> runs: per-worker init / work / close plus a scale function the pool
/// keeps asking. Build one by implementing this interface or from the combinators in <see cref="DynamicSystem"/>.
/// </summary>
/// <typeparam name="TData">The per-worker data.</typeparam>
public interface IDynamicSystem<TData> : IDynamicWork<TData>, IDynamicScale
{
}
