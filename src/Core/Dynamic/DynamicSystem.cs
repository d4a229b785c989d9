namespace Actorpool.Dynamic;

/// <summary>
/// Combinators that build dynamic systems from small parts: a function worker, a fixed (settable) scale, a
/// deadline and a scale cache. Each allocates one small object when composed and nothing per call.
/// </summary>
public static class DynamicSystem
{
    /// <summary>
    /// The work part of a system whose data is a per-worker closure: <paramref name="factory"/> builds worker
    /// <c>index</c>'s closure once (and again on <see cref="Decision.Restart"/>), <c>Work</c> calls it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static IDynamicWork<Func<Decision>> FunctionWorker(Func<int, Func<Decision>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new FunctionWork(factory);
    }

    /// <summary>Gives <paramref name="work"/> a fixed <see cref="Scale.Active"/> scale of <paramref name="threads"/>, settable later.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    public static ScaledSystem<TData> WithThreads<TData>(this IDynamicWork<TData> work, int threads)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"Threads must be at least 0, was {threads}.");
        }

        return new ScaledSystem<TData>(work, Scale.Active(threads));
    }

    /// <summary>Gives <paramref name="work"/> the fixed scale <paramref name="scale"/>, settable later with <see cref="ScaledSystem{TData}.SetScale"/>.</summary>
    public static ScaledSystem<TData> WithScale<TData>(this IDynamicWork<TData> work, Scale scale)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new ScaledSystem<TData>(work, scale);
    }

    /// <summary>Joins <paramref name="work"/> with the scale function <paramref name="scale"/> into a system.</summary>
    public static IDynamicSystem<TData> WithScale<TData>(this IDynamicWork<TData> work, Func<Scale> scale)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(scale);
        return new FunctionScaledSystem<TData>(work, scale);
    }

    /// <summary>
    /// Wraps <paramref name="system"/> so that its scale answers <see cref="Scale.Shutdown"/> once
    /// <paramref name="deadline"/> has passed since this call, measured on <paramref name="timeProvider"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deadline"/> is negative.</exception>
    public static IDynamicSystem<TData> ShutdownAfter<TData>(
        this IDynamicSystem<TData> system, TimeSpan deadline, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (deadline < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(deadline), deadline, $"Deadline must not be negative, was {deadline}.");
        }

        return new ShutdownAfterSystem<TData>(system, deadline, timeProvider ?? TimeProvider.System);
    }

    /// <summary>
    /// Wraps <paramref name="system"/> so that its scale function runs at most once per <paramref name="period"/>
    /// (measured on <paramref name="timeProvider"/>); calls in between get the cached answer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is zero or negative.</exception>
    public static IDynamicSystem<TData> CacheScale<TData>(
        this IDynamicSystem<TData> system, TimeSpan period, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"Period must be positive, was {period}.");
        }

        return new CachedScaleSystem<TData>(system, period, timeProvider ?? TimeProvider.System);
    }
}
