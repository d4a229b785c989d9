namespace Actorpool.Iterators;

// The terminal operations, one fold each. A fold is a struct that is copied into every unit from an empty
// value, receives that unit's elements in order (as a sink), and merges with the unit to its right.

internal struct CountFold<T> : ISink<T>, IUnitFold<T, CountFold<T>>
{
    public int Count;

    public static bool Regroupable => true;

    public bool Push(T item, int position)
    {
        Count++;
        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end) => run.Feed(start, end, ref this);

    public void Merge(ref CountFold<T> right) => Count += right.Count;
}

internal struct ForEachFold<T>(Action<T> action) : ISink<T>, IUnitFold<T, ForEachFold<T>>
{
    public readonly bool Push(T item, int position)
    {
        action(item);
        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end) => run.Feed(start, end, ref this);

    public readonly void Merge(ref ForEachFold<T> right)
    {
    }
}

internal struct AggregateFold<T, TAcc>(TAcc seed, Func<TAcc, T, TAcc> fold, Func<TAcc, TAcc, TAcc> combine)
    : ISink<T>, IUnitFold<T, AggregateFold<T, TAcc>>
{
    public TAcc Acc = seed;

    public bool Push(T item, int position)
    {
        Acc = fold(Acc, item);
        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end) => run.Feed(start, end, ref this);

    public void Merge(ref AggregateFold<T, TAcc> right) => Acc = combine(Acc, right.Acc);
}

/// <summary>
/// Any, All, FirstIndex, First: looks for the first element whose predicate result equals <c>match</c>. When
/// <c>earliest</c>, positions before a find are still searched (units after it are skipped); otherwise the
/// first find anywhere stops the whole run.
/// </summary>
internal struct SearchFold<T>(Func<T, bool> predicate, bool match, bool earliest) : ISink<T>, IUnitFold<T, SearchFold<T>>
{
    public bool Found;
    public int Position;
    public T Value = default!;
    private QueryRun<T>? _run;

    public bool Push(T item, int position)
    {
        if (predicate(item) != match)
        {
            return true;
        }

        Found = true;
        Position = position;
        Value = item;
        if (earliest)
        {
            _run!.StopAfter(position);
        }
        else
        {
            _run!.StopAll();
        }

        return false;
    }

    public void Fold(QueryRun<T> run, int start, int end)
    {
        _run = run;
        run.Feed(start, end, ref this);
    }

    public void Merge(ref SearchFold<T> right)
    {
        if (!Found && right.Found)
        {
            this = right;
        }
    }
}

/// <summary>MinBy (sign 1) and MaxBy (sign -1): the first element with the least (greatest) key.</summary>
internal struct BestByFold<T, TKey>(Func<T, TKey> keySelector, IComparer<TKey> comparer, int sign)
    : ISink<T>, IUnitFold<T, BestByFold<T, TKey>>
{
    public bool Has;
    public TKey Key = default!;
    public T Value = default!;

    public bool Push(T item, int position)
    {
        Take(keySelector(item), item);
        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end) => run.Feed(start, end, ref this);

    public void Merge(ref BestByFold<T, TKey> right)
    {
        if (right.Has)
        {
            Take(right.Key, right.Value);
        }
    }

    // Strictly better only, so among equal keys the earliest element wins.
    private void Take(TKey key, T value)
    {
        if (!Has || (sign * comparer.Compare(key, Key)) < 0)
        {
            Has = true;
            Key = key;
            Value = value;
        }
    }
}

/// <summary>ToArray when positions are output indices (no Where): every unit writes its own slice of the target.</summary>
internal readonly struct WriteFold<T>(T[] target) : ISink<T>, IUnitFold<T, WriteFold<T>>
{
    public bool Push(T item, int position)
    {
        target[position] = item;
        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end)
    {
        if (run.Stage is not SpanStage<T> span)
        {
            var self = this;
            run.Feed(start, end, ref self);
        }
        else
        {
            for (var from = start; from < end && run.Continues(from);)
            {
                var to = (int)Math.Min((long)from + run.Slice, end);
                span.Span(from, to).CopyTo(target.AsSpan(from));
                from = to;
            }
        }
    }

    public void Merge(ref WriteFold<T> right)
    {
    }
}
