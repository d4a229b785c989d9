namespace Actorpool.Iterators;

/// <summary>
/// ToArray and ToList after a Where: each unit appends to its own chain of segments (each twice the size of
/// the last, so nothing is copied while collecting); merging links chains in index order, and the caller
/// copies the one chain it ends with into the result.
/// </summary>
internal struct CollectFold<T> : ISink<T>, IUnitFold<T, CollectFold<T>>
{
    private const int FirstSegment = 64;
    private const int LargestSegment = 1 << 20;

    public int Count;
    private Segment? _first;
    private Segment? _last;

    public bool Push(T item, int position)
    {
        var last = _last;
        if (last is null || last.Count == last.Items.Length)
        {
            last = Grow();
        }

        last.Items[last.Count++] = item;
        Count++;
        return true;
    }

    public void Fold(QueryRun<T> run, int start, int end) => run.Feed(start, end, ref this);

    public void Merge(ref CollectFold<T> right)
    {
        if (right._first is null)
        {
            return;
        }

        if (_last is null)
        {
            this = right;
            return;
        }

        _last.Next = right._first;
        _last = right._last;
        Count += right.Count;
    }

    /// <summary>Copies the collected elements, in order, to <paramref name="target"/> (at least Count long).</summary>
    public readonly void CopyTo(Span<T> target)
    {
        var at = 0;
        for (var segment = _first; segment is not null; segment = segment.Next)
        {
            segment.Items.AsSpan(0, segment.Count).CopyTo(target[at..]);
            at += segment.Count;
        }
    }

    private Segment Grow()
    {
        var next = new Segment(_last is null ? FirstSegment : Math.Min(_last.Items.Length * 2, LargestSegment));
        if (_last is null)
        {
            _first = next;
        }
        else
        {
            _last.Next = next;
        }

        _last = next;
        return next;
    }

    /// <summary>A block of collected elements; only the unit that created it writes it.</summary>
    private sealed class Segment(int capacity)
    {
        internal readonly T[] Items = new T[capacity];
        internal int Count;
        internal Segment? Next;
    }
}
