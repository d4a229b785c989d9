namespace Actorpool.Iterators;

/// <summary>
/// A parallel query over an indexed source, built with <see cref="Par"/>: Select and Where stages fused into one
/// pass per unit, then a terminal operation run on a <see cref="WorkStealingPool"/> with the calling thread
/// helping. Results are combined in index order, so a result depends on the input and the split only, never on
/// which thread ran what. A query is immutable: every method returns a new one, and it runs when a terminal
/// operation is called (each call runs it again). If units throw, every unit still finishes, then the failures
/// are rethrown as <see cref="WorkStealingPool.For(int, int, Action{int}, Split)"/> rethrows them.
/// </summary>
public sealed partial class ParQuery<T>
{
    private readonly WorkStealingPool? _pool;
    private readonly Split _split;
    private readonly CancellationToken _token;

    internal ParQuery(Stage<T> stage, WorkStealingPool? pool = null, Split split = default, CancellationToken token = default)
    {
        Stage = stage;
        _pool = pool;
        _split = split;
        _token = token;
    }

    /// <summary>The split this query runs with (<see cref="Split.ByThreads"/> unless <see cref="With"/> set one).</summary>
    public Split Split => _split;

    internal Stage<T> Stage { get; }

    /// <summary>
    /// The same query cut into units as <paramref name="split"/> says. <see cref="Split.ByThreads"/> cuts one unit
    /// per pool thread (a fixed count per pool; exact integer reductions, whose result no layout can change, cut a
    /// few pieces per thread for balance); Chunks and ChunkSize give the same layout on every pool.
    /// </summary>
    public ParQuery<T> With(Split split) => new(Stage, _pool, split, _token);

    /// <summary>The same query run on <paramref name="pool"/> instead of <see cref="WorkStealingPool.Default"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    public ParQuery<T> On(WorkStealingPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new(Stage, pool, _split, _token);
    }

    /// <summary>
    /// The same query stopped by <paramref name="token"/>: units look at it between chunks of a few thousand
    /// elements, and the terminal operation then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public ParQuery<T> WithCancellation(CancellationToken token) => new(Stage, _pool, _split, token);

    /// <summary>Maps every element with <paramref name="selector"/>, fused into the same pass as the other stages.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> is null.</exception>
    public ParQuery<TResult> Select<TResult>(Func<T, TResult> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Select<TResult, DelegateFunc<T, TResult>>(new(selector));
    }

    /// <summary>
    /// Maps every element with a struct function: its <see cref="IParFunc{T, TResult}.Invoke"/> is called directly
    /// (and usually inlined), with no delegate call per element. Give both type arguments:
    /// <c>q.Select&lt;long, Triple&gt;(default)</c>.
    /// </summary>
    public ParQuery<TResult> Select<TResult, TFunc>(TFunc selector)
        where TFunc : struct, IParFunc<T, TResult> =>
        new(new SelectStage<T, TResult, TFunc>(Stage, selector), _pool, _split, _token);

    /// <summary>Keeps the elements for which <paramref name="predicate"/> is true, in source order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public ParQuery<T> Where(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Where(new DelegateFunc<T, bool>(predicate));
    }

    /// <summary>Keeps the elements for which a struct predicate is true, called directly as the struct Select's function is.</summary>
    public ParQuery<T> Where<TPredicate>(TPredicate predicate)
        where TPredicate : struct, IParFunc<T, bool> =>
        new(new WhereStage<T, TPredicate>(Stage, predicate), _pool, _split, _token);

    internal QueryOptions Options => new(_pool ?? WorkStealingPool.Default, _split, _token);

    internal TFold Fold<TFold>(TFold empty)
        where TFold : struct, IUnitFold<T, TFold> => QueryDriver.Fold(Stage, Options, empty);

    internal TFold Search<TFold>(TFold empty)
        where TFold : struct, IUnitFold<T, TFold> => QueryDriver.Search(Stage, Options, empty);
}
