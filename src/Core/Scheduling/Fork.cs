namespace Actorpool;

/// <summary>
/// One-liners over <see cref="WorkStealingPool.Default"/>: <c>Fork.Join(a, b)</c>, <c>Fork.Spawn(f)</c>,
/// <c>Fork.For(0, n, i => ...)</c>. Each member behaves exactly as the pool member of the same name.
/// </summary>
public static class Fork
{
    /// <summary>See <see cref="WorkStealingPool.Join{TA, TB}(ref TA, ref TB)"/>.</summary>
    public static void Join<TA, TB>(ref TA a, ref TB b)
        where TA : struct, IJob
        where TB : struct, IJob => WorkStealingPool.Default.Join(ref a, ref b);

    /// <summary>See <see cref="WorkStealingPool.Join(Action, Action)"/>.</summary>
    public static void Join(Action a, Action b) => WorkStealingPool.Default.Join(a, b);

    /// <summary>See <see cref="WorkStealingPool.Join{TA, TB}(Func{TA}, Func{TB})"/>.</summary>
    public static (TA A, TB B) Join<TA, TB>(Func<TA> a, Func<TB> b) => WorkStealingPool.Default.Join(a, b);

    /// <summary>See <see cref="WorkStealingPool.JoinAll(Action[])"/>.</summary>
    public static void JoinAll(params Action[] actions) => WorkStealingPool.Default.JoinAll(actions);

    /// <summary>See <see cref="WorkStealingPool.JoinAll{T}(Func{T}[])"/>.</summary>
    public static T[] JoinAll<T>(params Func<T>[] functions) => WorkStealingPool.Default.JoinAll(functions);

    /// <summary>See <see cref="WorkStealingPool.Spawn(Action)"/>.</summary>
    public static TaskHandle Spawn(Action action) => WorkStealingPool.Default.Spawn(action);

    /// <summary>See <see cref="WorkStealingPool.Spawn{T}(Func{T})"/>.</summary>
    public static TaskHandle<T> Spawn<T>(Func<T> function) => WorkStealingPool.Default.Spawn(function);

    /// <summary>See <see cref="WorkStealingPool.Spawn{TJob}(TJob)"/>.</summary>
    public static TaskHandle<TJob> Spawn<TJob>(TJob job)
        where TJob : struct, IJob => WorkStealingPool.Default.Spawn(job);

    /// <summary>See <see cref="WorkStealingPool.Scope"/>.</summary>
    public static void Scope(Action<TaskScope> body, int? backlog = null) => WorkStealingPool.Default.Scope(body, backlog);

    /// <summary>See <see cref="WorkStealingPool.For(int, int, Action{int}, Split)"/>.</summary>
    public static void For(int from, int to, Action<int> body, Split split = default) =>
        WorkStealingPool.Default.For(from, to, body, split);

    /// <summary>See <see cref="WorkStealingPool.ForRange(int, int, Action{int, int}, Split)"/>.</summary>
    public static void ForRange(int from, int to, Action<int, int> body, Split split = default) =>
        WorkStealingPool.Default.ForRange(from, to, body, split);

    /// <summary>See <see cref="WorkStealingPool.ReduceRange{T}(int, int, T, Func{int, int, T}, Func{T, T, T}, Split)"/>.</summary>
    public static T ReduceRange<T>(int from, int to, T identity, Func<int, int, T> mapRange, Func<T, T, T> combine, Split split = default) =>
        WorkStealingPool.Default.ReduceRange(from, to, identity, mapRange, combine, split);

    /// <summary>See <see cref="WorkStealingPool.Reduce{T}(int, int, T, Func{int, T}, Func{T, T, T}, Split)"/>.</summary>
    public static T Reduce<T>(int from, int to, T identity, Func<int, T> map, Func<T, T, T> combine, Split split = default) =>
        WorkStealingPool.Default.Reduce(from, to, identity, map, combine, split);
}
