using System.Numerics;

namespace Actorpool.Iterators;

/// <summary>
/// Sum and Average: adds every element into <typeparamref name="TAcc"/>, a type wide enough that the total is
/// exact for integers (long for int, Int128 for long) and double for floating point. Over a bare in-memory
/// source (<c>simd</c>) a unit is a fixed block summed with vectors; otherwise the elements come through the sink.
/// </summary>
internal struct SumFold<T, TAcc>(bool simd) : ISink<T>, IUnitFold<T, SumFold<T, TAcc>>
    where T : unmanaged, INumber<T>
    where TAcc : INumber<TAcc>
{
    public TAcc Total = TAcc.Zero;
    public long Count;

    public bool Push(T item, int position)
    {
        Total += TAcc.CreateTruncating(item);
        Count++;
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
            Total += Simd.Sum<T, TAcc>(((SpanStage<T>)run.Stage).Span(start, end));
            Count += end - start;
        }
    }

    public void Merge(ref SumFold<T, TAcc> right)
    {
        Total += right.Total;
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
