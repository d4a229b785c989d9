using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Actorpool.Iterators;

/// <summary>
/// Vector kernels for one block of a bare in-memory source. Integer sums are exact (carries are counted, so
/// only the final narrowing can overflow). Floating-point sums use a fixed layout of eight double lanes in
/// 128-bit vectors on every machine, so a block's sum has the same bits whatever the hardware's vector width.
/// The kernels call no user code, so they are compiled fully optimized at once: unoptimized vector code runs
/// several times slower, and a query over a large array calls a kernel only a few hundred times.
/// </summary>
internal static class Simd
{
    internal static TAcc Sum<T, TAcc>(ReadOnlySpan<T> span)
        where T : unmanaged, INumber<T>
        where TAcc : INumber<TAcc>
    {
        if (typeof(T) == typeof(long))
        {
            return TAcc.CreateTruncating(SumInt64(MemoryMarshal.Cast<T, long>(span)));
        }

        if (typeof(T) == typeof(int))
        {
            return TAcc.CreateTruncating(SumInt32(MemoryMarshal.Cast<T, int>(span)));
        }

        if (typeof(T) == typeof(double))
        {
            return TAcc.CreateTruncating(SumDouble(MemoryMarshal.Cast<T, double>(span)));
        }

        if (typeof(T) == typeof(float))
        {
            return TAcc.CreateTruncating(SumSingle(MemoryMarshal.Cast<T, float>(span)));
        }

        var total = TAcc.Zero;
        foreach (var item in span)
        {
            total += TAcc.CreateTruncating(item);
        }

        return total;
    }

    /// <summary>The least element of a non-empty span; NaN when any element is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T Min<T>(ReadOnlySpan<T> span)
        where T : unmanaged, INumber<T>
    {
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && span.Length >= 2 * Vector<T>.Count)
        {
            var vectors = MemoryMarshal.Cast<T, Vector<T>>(span);
            var acc = vectors[0];
            var nan = Vector<T>.Zero;
            foreach (var x in vectors)
            {
                acc = Vector.ConditionalSelect(Vector.LessThan(x, acc), x, acc);
                nan |= ~Vector.Equals(x, x);
            }

            if (Vector.AsVectorByte(nan) != Vector<byte>.Zero)
            {
                return FirstNaN(span);
            }

            return Finish(acc, span[(vectors.Length * Vector<T>.Count)..], max: false);
        }

        return Finish(span[0], span, max: false);
    }

    /// <summary>The greatest element of a non-empty span, NaN elements ignored unless all are NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T Max<T>(ReadOnlySpan<T> span)
        where T : unmanaged, INumber<T>
    {
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && span.Length >= 2 * Vector<T>.Count)
        {
            var vectors = MemoryMarshal.Cast<T, Vector<T>>(span);
            var acc = vectors[0];
            foreach (var x in vectors)
            {
                // A NaN lane is replaced by whatever comes next, so it survives only when that lane saw only NaN.
                acc = Vector.ConditionalSelect(Vector.GreaterThan(x, acc) | ~Vector.Equals(acc, acc), x, acc);
            }

            return Finish(acc, span[(vectors.Length * Vector<T>.Count)..], max: true);
        }

        return Finish(span[0], span, max: true);
    }

    /// <summary>Folds the lanes of <paramref name="acc"/> in lane order, then the tail, with Min's or Max's step.</summary>
    private static T Finish<T>(Vector<T> acc, ReadOnlySpan<T> tail, bool max)
        where T : unmanaged, INumber<T>
    {
        var best = acc[0];
        for (var lane = 1; lane < Vector<T>.Count; lane++)
        {
            best = max ? MaxOf(best, acc[lane]) : MinOf(best, acc[lane]);
        }

        return Finish(best, tail, max);
    }

    private static T Finish<T>(T best, ReadOnlySpan<T> tail, bool max)
        where T : unmanaged, INumber<T>
    {
        foreach (var item in tail)
        {
            best = max ? MaxOf(best, item) : MinOf(best, item);
        }

        return best;
    }

    /// <summary>LINQ's Min step: a NaN wins and stays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T MinOf<T>(T best, T item)
        where T : INumber<T> => item < best || T.IsNaN(item) ? item : best;

    /// <summary>LINQ's Max step: NaN loses to any number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T MaxOf<T>(T best, T item)
        where T : INumber<T> => item > best || T.IsNaN(best) ? item : best;

    private static T FirstNaN<T>(ReadOnlySpan<T> span)
        where T : INumber<T>
    {
        foreach (var item in span)
        {
            if (T.IsNaN(item))
            {
                return item;
            }
        }

        return span[0];
    }

    /// <summary>
    /// Exact: every element is split into its signed high and unsigned low 32 bits, each half summed in its own
    /// 64-bit lanes (no lane can overflow below 2^31 elements), and the halves are joined in 128 bits at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Int128 SumInt64(ReadOnlySpan<long> span)
    {
        Int128 total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && span.Length >= Vector<long>.Count)
        {
            var (high, low, high2, low2) = (Vector<long>.Zero, Vector<long>.Zero, Vector<long>.Zero, Vector<long>.Zero);
            var mask = new Vector<long>(uint.MaxValue);
            var vectors = MemoryMarshal.Cast<long, Vector<long>>(span);
            var k = 0;
            for (; k + 2 <= vectors.Length; k += 2)
            {
                high += Vector.ShiftRightArithmetic(vectors[k], 32);
                low += vectors[k] & mask;
                high2 += Vector.ShiftRightArithmetic(vectors[k + 1], 32);
                low2 += vectors[k + 1] & mask;
            }

            if (k < vectors.Length)
            {
                high += Vector.ShiftRightArithmetic(vectors[k], 32);
                low += vectors[k] & mask;
            }

            total = ((Int128)Vector.Sum(high + high2) << 32) + Vector.Sum(low + low2);
            i = vectors.Length * Vector<long>.Count;
        }

        for (; i < span.Length; i++)
        {
            total += span[i];
        }

        return total;
    }

    /// <summary>Exact in long lanes (a span of int cannot overflow them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long SumInt32(ReadOnlySpan<int> span)
    {
        long total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && span.Length >= Vector<int>.Count)
        {
            var acc = Vector<long>.Zero;
            var vectors = MemoryMarshal.Cast<int, Vector<int>>(span);
            foreach (var x in vectors)
            {
                Vector.Widen(x, out var low, out var high);
                acc += low + high;
            }

            total = Vector.Sum(acc);
            i = vectors.Length * Vector<int>.Count;
        }

        for (; i < span.Length; i++)
        {
            total += span[i];
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumDouble(ReadOnlySpan<double> span)
    {
        var (a, b, c, d) = (Vector128<double>.Zero, Vector128<double>.Zero, Vector128<double>.Zero, Vector128<double>.Zero);
        var quads = MemoryMarshal.Cast<double, Vector128<double>>(span);
        var k = 0;
        for (; k + 4 <= quads.Length; k += 4)
        {
            a += quads[k];
            b += quads[k + 1];
            c += quads[k + 2];
            d += quads[k + 3];
        }

        return Lanes(a, b, c, d, span[(k * 2)..]);
    }

    /// <summary>In double, as LINQ sums floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumSingle(ReadOnlySpan<float> span)
    {
        var (a, b, c, d) = (Vector128<double>.Zero, Vector128<double>.Zero, Vector128<double>.Zero, Vector128<double>.Zero);
        var quads = MemoryMarshal.Cast<float, Vector128<float>>(span);
        var k = 0;
        for (; k + 2 <= quads.Length; k += 2)
        {
            var (x0, x1) = Vector128.Widen(quads[k]);
            var (x2, x3) = Vector128.Widen(quads[k + 1]);
            a += x0;
            b += x1;
            c += x2;
            d += x3;
        }

        var rest = span[(k * 4)..];
        var tail = 0.0;
        foreach (var x in rest)
        {
            tail += x;
        }

        return Lanes(a, b, c, d, []) + tail;
    }

    /// <summary>Combines the eight lanes in a fixed order, then adds the tail in order.</summary>
    private static double Lanes(Vector128<double> a, Vector128<double> b, Vector128<double> c, Vector128<double> d, ReadOnlySpan<double> tail)
    {
        var sum = (a + b) + (c + d);
        var total = sum.GetElement(0) + sum.GetElement(1);
        foreach (var x in tail)
        {
            total += x;
        }

        return total;
    }
}
