using System.Numerics;

namespace Actorpool.Iterators;

/// <summary>
/// Sum: adds every element into <typeparamref name="TAcc"/>, a type wide enough that the total is exact for
/// integers (long for int, Int128 for long) and double for floating point. Over a bare in-memory source
/// (<c>simd</c>) a unit is a fixed block summed with vectors; otherwise the elements come through the sink.
/// </summary>
internal struct SumFold<T, TAcc>(bool simd) : ISink<T>, IUnitFold<T, SumFold<T, TAcc>>
    where T : unmanaged, INumber<T>
    where TAcc : INumber<TAcc>
{
    private TAcc _total = TAcc.Zero;

    // Longs are split into their signed high and unsigned low 32 bits, each half added into its own long (neither
    // can overflow below 2^31 elements, and a query's positions are ints): two adds, no carry chain, no branch.
    private long _high;
    private long _low;

    /// <summary>Integer sums are exact, so any unit layout gives the same total.</summary>
    public static bool Regroupable => typeof(T) == typeof(int) || typeof(T) == typeof(long);

    /// <summary>The exact total of everything folded and merged into this value.</summary>
    public readonly TAcc Total => typeof(T) == typeof(long)
        ? _total + TAcc.CreateTruncating(((Int128)_high << 32) + _low)
        : _total;

    public bool Push(T item, int position)
    {
        if (typeof(T) == typeof(long))
        {
            var x = (long)(object)item;
            _high += x >> 32;
            _low += (long)(uint)x;
        }
        else
        {
            _total += TAcc.CreateTruncating(item);
        }

        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end)
    {
        if (!simd)
        {
            run.Feed(start, end, ref this);
        }
        else if (run.Continues(start))
        {
            _total += Simd.Sum<T, TAcc>(((SpanStage<T>)run.Stage).Span(start, end));
        }
    }

    public void Merge(ref SumFold<T, TAcc> right)
    {
        // The halves stay exact when merged: a whole query has fewer than 2^31 elements.
        _total += right._total;
        _high += right._high;
        _low += right._low;
    }
}

/// <summary>Average: a <see cref="SumFold{T, TAcc}"/> and the number of elements it added.</summary>
internal struct MeanFold<T, TAcc>(bool simd) : ISink<T>, IUnitFold<T, MeanFold<T, TAcc>>
    where T : unmanaged, INumber<T>
    where TAcc : INumber<TAcc>
{
    public SumFold<T, TAcc> Sum = new(simd);
    public long Count;

    public static bool Regroupable => SumFold<T, TAcc>.Regroupable;

    public bool Push(T item, int position)
    {
        Count++;
        return Sum.Push(item, position);
    }

    public void Fold(QueryRun<T> run, int start, int end)
    {
        if (!simd)
        {
            run.Feed(start, end, ref this);
        }
        else if (run.Continues(start))
        {
            Sum.Fold(run, start, end);
            Count += end - start;
        }
    }

    public void Merge(ref MeanFold<T, TAcc> right)
    {
        Sum.Merge(ref right.Sum);
        Count += right.Count;
    }
}

/// <summary>
/// Min and Max with LINQ's rules for NaN: Min is NaN when any element is; Max is NaN only when every element
/// is. Among equal values the earliest is kept, so the result does not depend on the unit layout.
/// </summary>
internal struct ExtremeFold<T>(bool max, bool simd) : ISink<T>, IUnitFold<T, ExtremeFold<T>>
    where T : unmanaged, INumber<T>
{
    public bool Has;
    public T Value;

    /// <summary>Integers have no NaN and no negative zero: the least (greatest) value is the same in any layout.</summary>
    public static bool Regroupable => typeof(T) == typeof(int) || typeof(T) == typeof(long);

    public bool Push(T item, int position)
    {
        Take(item);
        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end)
    {
        if (!simd)
        {
            run.Feed(start, end, ref this);
        }
        else if (run.Continues(start))
        {
            var span = ((SpanStage<T>)run.Stage).Span(start, end);
            Take(max ? Simd.Max(span) : Simd.Min(span));
        }
    }

    public void Merge(ref ExtremeFold<T> right)
    {
        if (right.Has)
        {
            Take(right.Value);
        }
    }

    private void Take(T item)
    {
        if (!Has)
        {
            Has = true;
            Value = item;
        }
        else
        {
            Value = max ? Simd.MaxOf(Value, item) : Simd.MinOf(Value, item);
        }
    }
}
