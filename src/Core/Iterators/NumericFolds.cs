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

    // Longs are added into one long that may wrap, and the wraps are counted: per element one add and a rarely
    // taken branch, where an Int128 add keeps two registers and a carry chain.
    private long _wrapping;
    private long _wraps;

    /// <summary>Integer sums are exact, so any unit layout gives the same total.</summary>
    public static bool Regroupable => typeof(T) == typeof(int) || typeof(T) == typeof(long);

    /// <summary>The exact total of everything folded and merged into this value.</summary>
    public readonly TAcc Total => typeof(T) == typeof(long)
        ? _total + TAcc.CreateTruncating(((Int128)_wraps << 64) + _wrapping)
        : _total;

    public bool Push(T item, int position)
    {
        if (typeof(T) == typeof(long))
        {
            var x = (long)(object)item;
            var sum = unchecked(_wrapping + x);
            if (((_wrapping ^ sum) & (x ^ sum)) < 0)
            {
                _wraps += x < 0 ? -1 : 1; // the sum overflowed: it is 2^64 short of (or past) the exact one
            }

            _wrapping = sum;
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
        _total = Total + right.Total;
        (_wrapping, _wraps) = (0, 0);
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
