namespace Actorpool.Dynamic;

/// <summary>
/// Runs a dynamic system (dynpool style) on dedicated threads: no job queue and no manager thread. Every worker
/// loops calling the system's <c>Work</c> with its own data and keeps asking <c>GetScale</c> how many workers
/// there should be; workers start in index order and end highest index first.
/// </summary>
public static class DynamicPool
{
    /// <summary>
    /// Starts <paramref name="system"/> on new background threads and returns at once with a handle to watch,
    /// steer and join the run.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="system"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static DynamicPoolHandle<TData> StartBackground<TData>(
        IDynamicSystem<TData> system, DynamicPoolOptions? options = null)
    {
        var run = CreateRun(system, options);
        run.Start(workerZeroOnNewThread: true);
        return new DynamicPoolHandle<TData>(run);
    }

    /// <summary>
    /// Runs <paramref name="system"/> with the calling thread as worker 0 and blocks until every worker has ended
    /// (the scale said <see cref="Scale.Shutdown"/>).
    /// </summary>
    /// <exception cref="PoolPanicException">A worker threw; carries every exception thrown during the run.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="system"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static void RunForeground<TData>(IDynamicSystem<TData> system, DynamicPoolOptions? options = null)
    {
        var run = CreateRun(system, options);
        run.Start(workerZeroOnNewThread: false);
        run.RunWorker(0);
        run.Completion.GetAwaiter().GetResult();
    }

    private static DynamicRun<TData> CreateRun<TData>(IDynamicSystem<TData> system, DynamicPoolOptions? options)
    {
        ArgumentNullException.ThrowIfNull(system);
        options ??= DynamicPoolOptions.Default;
        options.Validate();
        return new DynamicRun<TData>(system, options);
    }
}
