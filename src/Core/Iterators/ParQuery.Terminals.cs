namespace Actorpool.Iterators;

public sealed partial class ParQuery<T>
{
    /// <summary>The number of elements the query yields (no pass over the source when there is no Where).</summary>
    public int Count() => Stage.KeepsCount ? Stage.Length : Fold(new CountFold<T>()).Count;

    /// <summary>The number of elements for which <paramref name="predicate"/> is true.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public int Count(Func<T, bool> predicate) => Where(predicate).Count();

    /// <summary>Whether the query yields any element; stops at the first one.</summary>
    public bool Any() => Stage.KeepsCount ? Stage.Length > 0 : Search(new SearchFold<T>(static _ => true, true, false)).Found;

    /// <summary>Whether <paramref name="predicate"/> is true for some element; every unit stops once one is found.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public bool Any(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Search(new SearchFold<T>(predicate, true, false)).Found;
    }

    /// <summary>Whether <paramref name="predicate"/> is true for every element; every unit stops at the first that fails it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public bool All(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return !Search(new SearchFold<T>(predicate, false, false)).Found;
    }

    /// <summary>
    /// The source position (index into the array, list or memory; offset from the start of a range) of the
    /// earliest element for which <paramref name="predicate"/> is true, or -1. Work after a match is skipped;
    /// everything before it is still checked, so the earliest match wins whatever the split.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public int FirstIndex(Func<T, bool> predicate)
    {
        var found = FindEarliest(predicate);
        return found.Found ? found.Position : -1;
    }

    /// <summary>The earliest element for which <paramref name="predicate"/> is true, as FirstIndex finds it, or the default of T.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public T? Find(Func<T, bool> predicate) => FindEarliest(predicate).Value;

    /// <summary>The earliest element for which <paramref name="predicate"/> is true, as FirstIndex finds it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No element matches.</exception>
    public T First(Func<T, bool> predicate)
    {
        var found = FindEarliest(predicate);
        return found.Found ? found.Value : throw new InvalidOperationException("No element satisfies the predicate.");
    }

    /// <summary>Calls <paramref name="action"/> once per element, in parallel; elements of one unit in order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    public void ForEach(Action<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Fold(new ForEachFold<T>(action));
    }

    /// <summary>
    /// Folds each unit's elements in order, starting from <paramref name="seed"/>, then combines the unit results in
    /// index order. The seed starts every unit, so it should be an identity of <paramref name="combine"/> and not be
    /// mutated. Deterministic for a given input and split.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="fold"/> or <paramref name="combine"/> is null.</exception>
    public TAcc Aggregate<TAcc>(TAcc seed, Func<TAcc, T, TAcc> fold, Func<TAcc, TAcc, TAcc> combine)
    {
        ArgumentNullException.ThrowIfNull(fold);
        ArgumentNullException.ThrowIfNull(combine);
        return Fold(new AggregateFold<T, TAcc>(seed, fold, combine)).Acc;
    }

    /// <summary>The earliest element with the least key (by <paramref name="comparer"/> or the default comparer).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="keySelector"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The query is empty and T is a non-nullable value type.</exception>
    public T? MinBy<TKey>(Func<T, TKey> keySelector, IComparer<TKey>? comparer = null) => BestBy(keySelector, comparer, 1);

    /// <summary>The earliest element with the greatest key (by <paramref name="comparer"/> or the default comparer).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="keySelector"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The query is empty and T is a non-nullable value type.</exception>
    public T? MaxBy<TKey>(Func<T, TKey> keySelector, IComparer<TKey>? comparer = null) => BestBy(keySelector, comparer, -1);

    /// <summary>The elements in source order. Without a Where every unit writes its part of the array in place.</summary>
    public T[] ToArray()
    {
        if (Stage.KeepsCount)
        {
            // Every position is written before the array is returned, so the GC need not clear it first.
            var target = GC.AllocateUninitializedArray<T>(Stage.Length);
            Fold(new WriteFold<T>(target));
            return target;
        }

        var collected = Fold(new CollectFold<T>());
        var result = GC.AllocateUninitializedArray<T>(collected.Count);
        collected.CopyTo(result);
        return result;
    }

    /// <summary>The elements in source order, as <see cref="ToArray"/> collects them.</summary>
    public List<T> ToList() => [.. ToArray()];

    private SearchFold<T> FindEarliest(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Search(new SearchFold<T>(predicate, true, true));
    }

    private T? BestBy<TKey>(Func<T, TKey> keySelector, IComparer<TKey>? comparer, int sign)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        var best = Fold(new BestByFold<T, TKey>(keySelector, comparer ?? Comparer<TKey>.Default, sign));
        if (best.Has || default(T) is null)
        {
            return best.Value;
        }

        throw new InvalidOperationException("The query yields no elements.");
    }
}
