using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Actorpool.Iterators;

/// <summary>
/// One step of a query. A stage feeds the elements that source positions [start, end) yield, in order, to a
/// sink; every element carries the position it came from. Stages are immutable and shared by the units of a
/// run; the per-element work is a direct (generic, not virtual) call into the sink.
/// </summary>
internal abstract class Stage<T>
{
    /// <summary>The number of source positions (read once when a run starts).</summary>
    internal abstract int Length { get; }

    /// <summary>True when every position yields exactly one element (no Where), so a position is an output index.</summary>
    internal virtual bool KeepsCount => true;

    /// <summary>Feeds the elements of positions [start, end) to <paramref name="sink"/>; false once the sink stops.</summary>
    internal abstract bool Feed<TSink>(int start, int end, ref TSink sink)
        where TSink : struct, ISink<T>;
}

/// <summary>A source laid out in memory, so a reduction without Select or Where can run over spans (SIMD).</summary>
internal abstract class SpanStage<T> : Stage<T>
{
    internal abstract ReadOnlySpan<T> Span(int start, int end);

    internal sealed override bool Feed<TSink>(int start, int end, ref TSink sink) => Loop(Span(start, end), start, ref sink);

    // Static, not virtual: reached through a plain call, the loop is call-counted and tiered up (with profile-guided
    // inlining of the user's delegates) after a few dozen slices; a generic virtual method was not.
    private static bool Loop<TSink>(ReadOnlySpan<T> span, int start, ref TSink sink)
        where TSink : struct, ISink<T>
    {
        // A local copy of the sink, not the caller's by-ref one, so its fields can live in registers. The loop walks
        // a reference (no bounds check, one register fewer across the user's delegate calls than an index and a
        // length); the position is derived from it only when the sink reads it.
        var local = sink;
        var more = true;
        ref T first = ref MemoryMarshal.GetReference(span);
        ref T end = ref Unsafe.Add(ref first, span.Length);
        for (ref T item = ref first; Unsafe.IsAddressLessThan(ref item, ref end) && more; item = ref Unsafe.Add(ref item, 1))
        {
            more = local.Push(item, start + (int)(Unsafe.ByteOffset(ref first, ref item) / Unsafe.SizeOf<T>()));
        }

        sink = local;
        return more;
    }
}

internal sealed class ArrayStage<T>(T[] items) : SpanStage<T>
{
    internal override int Length => items.Length;

    internal override ReadOnlySpan<T> Span(int start, int end) => new(items, start, end - start);
}

internal sealed class MemoryStage<T>(ReadOnlyMemory<T> items) : SpanStage<T>
{
    internal override int Length => items.Length;

    internal override ReadOnlySpan<T> Span(int start, int end) => items.Span[start..end];
}

/// <summary>A list read in place; it must not change while a query over it runs.</summary>
internal sealed class ListStage<T>(List<T> items) : SpanStage<T>
{
    internal override int Length => items.Count;

    internal override ReadOnlySpan<T> Span(int start, int end) => CollectionsMarshal.AsSpan(items)[start..end];
}

/// <summary>The integers [from, from + count); position i yields from + i.</summary>
internal sealed class RangeStage(int from, int count) : Stage<int>
{
    internal override int Length => count;

    internal override bool Feed<TSink>(int start, int end, ref TSink sink) => Loop(from, start, end, ref sink);

    // Static for the same reason as SpanStage's loop: so it is tiered up.
    private static bool Loop<TSink>(int from, int start, int end, ref TSink sink)
        where TSink : struct, ISink<int>
    {
        // Walks the values, not the positions: one register fewer across the user's delegate call when the
        // sink ignores positions (from + end is at most the range's end, so it cannot overflow).
        var local = sink;
        var more = true;
        for (int value = from + start, last = from + end; value < last && more; value++)
        {
            more = local.Push(value, value - from);
        }

        sink = local;
        return more;
    }
}

/// <summary>Two sources side by side, as long as the shorter one.</summary>
internal sealed class ZipStage<T1, T2>(ReadOnlyMemory<T1> first, ReadOnlyMemory<T2> second) : Stage<(T1 First, T2 Second)>
{
    internal override int Length => Math.Min(first.Length, second.Length);

    internal override bool Feed<TSink>(int start, int end, ref TSink sink) =>
        Loop(first.Span[start..end], second.Span[start..end], start, ref sink);

    // Static for the same reason as SpanStage's loop: so it is tiered up.
    private static bool Loop<TSink>(ReadOnlySpan<T1> a, ReadOnlySpan<T2> b, int start, ref TSink sink)
        where TSink : struct, ISink<(T1 First, T2 Second)>
    {
        var local = sink;
        var more = true;
        for (var i = 0; i < a.Length && more; i++)
        {
            more = local.Push((a[i], b[i]), start + i);
        }

        sink = local;
        return more;
    }
}

internal sealed class SelectStage<TIn, TOut, TFunc>(Stage<TIn> source, TFunc selector) : Stage<TOut>
    where TFunc : struct, IParFunc<TIn, TOut>
{
    internal override int Length => source.Length;

    internal override bool KeepsCount => source.KeepsCount;

    internal override bool Feed<TSink>(int start, int end, ref TSink sink)
    {
        var mapped = new SelectSink<TIn, TOut, TFunc, TSink>(selector, sink);
        var more = source.Feed(start, end, ref mapped);
        sink = mapped.Next;
        return more;
    }
}

internal sealed class WhereStage<T, TPredicate>(Stage<T> source, TPredicate predicate) : Stage<T>
    where TPredicate : struct, IParFunc<T, bool>
{
    internal override int Length => source.Length;

    internal override bool KeepsCount => false;

    internal override bool Feed<TSink>(int start, int end, ref TSink sink)
    {
        var filtered = new WhereSink<T, TPredicate, TSink>(predicate, sink);
        var more = source.Feed(start, end, ref filtered);
        sink = filtered.Next;
        return more;
    }
}

/// <summary>Receives a stage's elements; returns false to stop the feed.</summary>
internal interface ISink<in T>
{
    bool Push(T item, int position);
}

internal struct SelectSink<TIn, TOut, TFunc, TNext>(TFunc selector, TNext next) : ISink<TIn>
    where TFunc : struct, IParFunc<TIn, TOut>
    where TNext : struct, ISink<TOut>
{
    public TNext Next = next;

    public bool Push(TIn item, int position) => Next.Push(selector.Invoke(item), position);
}

internal struct WhereSink<T, TPredicate, TNext>(TPredicate predicate, TNext next) : ISink<T>
    where TPredicate : struct, IParFunc<T, bool>
    where TNext : struct, ISink<T>
{
    public TNext Next = next;

    public bool Push(T item, int position) => !predicate.Invoke(item) || Next.Push(item, position);
}

/// <summary>A delegate as an <see cref="IParFunc{T, TResult}"/>: the lambda form of Select and Where.</summary>
internal readonly struct DelegateFunc<T, TResult>(Func<T, TResult> function) : IParFunc<T, TResult>
{
    public TResult Invoke(T item) => function(item);
}
