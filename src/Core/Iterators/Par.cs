namespace Actorpool.Iterators;

/// <summary>
/// Entry points of parallel queries: <c>Par.Over(items).Select(f).Where(p).Sum()</c>. A query runs on
/// <see cref="WorkStealingPool.Default"/> unless <see cref="ParQuery{T}.On"/> names a pool, cut as
/// <see cref="ParQuery{T}.With"/> says (<see cref="Split.ByThreads"/> by default); results come in source order.
/// The source is read in place, so it must not change while a query over it runs.
/// </summary>
public static class Par
{
    /// <summary>A query over the elements of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static ParQuery<T> Over<T>(T[] source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(new ArrayStage<T>(source));
    }

    /// <summary>A query over the elements of <paramref name="source"/>.</summary>
    public static ParQuery<T> Over<T>(ReadOnlyMemory<T> source) => new(new MemoryStage<T>(source));

    /// <summary>A query over the elements of <paramref name="source"/>; the list must not change while the query runs.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static ParQuery<T> Over<T>(List<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(new ListStage<T>(source));
    }

    /// <summary>A query over the integers [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is less than <paramref name="from"/>, or the range is longer than an array can be.</exception>
    public static ParQuery<int> Range(int from, int to)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"To must be at least From ({from}), was {to}.");
        }

        var count = (long)to - from;
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"A range holds at most {Array.MaxLength} integers, was {count}.");
        }

        return new(new RangeStage(from, (int)count));
    }

    /// <summary>Pairs of elements at the same index of both sources, as many as the shorter one has.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="first"/> or <paramref name="second"/> is null.</exception>
    public static ParQuery<(T1 First, T2 Second)> Zip<T1, T2>(T1[] first, T2[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return Zip<T1, T2>(first.AsMemory(), second.AsMemory());
    }

    /// <summary>Pairs of elements at the same index of both sources, as many as the shorter one has.</summary>
    public static ParQuery<(T1 First, T2 Second)> Zip<T1, T2>(ReadOnlyMemory<T1> first, ReadOnlyMemory<T2> second) =>
        new(new ZipStage<T1, T2>(first, second));

    /// <summary>The results of <paramref name="selector"/> on elements at the same index of both sources.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ParQuery<TResult> Zip<T1, T2, TResult>(T1[] first, T2[] second, Func<T1, T2, TResult> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Zip(first, second).Select(pair => selector(pair.First, pair.Second));
    }
}
