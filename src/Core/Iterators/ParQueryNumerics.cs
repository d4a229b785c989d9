using System.Numerics;

namespace Actorpool.Iterators;

/// <summary>
/// Sum, Min, Max and Average of numeric queries. Over an array, memory or list with no Select or Where they run
/// vector kernels over fixed blocks, so even floating-point sums have the same bits for any split and pool;
/// through a pipeline they fold per unit and combine in index order. Integer sums are exact and throw
/// <see cref="OverflowException"/> only when the total does not fit the result type.
/// </summary>
public static class ParQueryNumerics
{
    /// <summary>The sum of the elements; 0 when empty.</summary>
    /// <exception cref="OverflowException">The total does not fit in an int.</exception>
    public static int Sum(this ParQuery<int> query) => checked((int)Total<int, long>(query).Total);

    /// <summary>The sum of the elements; 0 when empty.</summary>
    /// <exception cref="OverflowException">The total does not fit in a long.</exception>
    public static long Sum(this ParQuery<long> query) => checked((long)Total<long, Int128>(query).Total);

    /// <summary>The sum of the elements, added in double as LINQ does; 0 when empty.</summary>
    public static float Sum(this ParQuery<float> query) => (float)Total<float, double>(query).Total;

    /// <summary>The sum of the elements; 0 when empty. The same bits on every run for a given input and split.</summary>
    public static double Sum(this ParQuery<double> query) => Total<double, double>(query).Total;

    /// <summary>The least element.</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static int Min(this ParQuery<int> query) => Extreme(query, max: false);

    /// <summary>The least element.</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static long Min(this ParQuery<long> query) => Extreme(query, max: false);

    /// <summary>The least element; NaN when any element is NaN (as LINQ).</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static float Min(this ParQuery<float> query) => Extreme(query, max: false);

    /// <summary>The least element; NaN when any element is NaN (as LINQ).</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static double Min(this ParQuery<double> query) => Extreme(query, max: false);

    /// <summary>The greatest element.</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static int Max(this ParQuery<int> query) => Extreme(query, max: true);

    /// <summary>The greatest element.</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static long Max(this ParQuery<long> query) => Extreme(query, max: true);

    /// <summary>The greatest element; NaN elements are ignored unless all are NaN (as LINQ).</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static float Max(this ParQuery<float> query) => Extreme(query, max: true);

    /// <summary>The greatest element; NaN elements are ignored unless all are NaN (as LINQ).</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static double Max(this ParQuery<double> query) => Extreme(query, max: true);

    /// <summary>The mean of the elements (the exact total divided by the count).</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static double Average(this ParQuery<int> query) => Mean<int, long>(query);

    /// <summary>The mean of the elements (the exact total divided by the count).</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static double Average(this ParQuery<long> query) => Mean<long, Int128>(query);

    /// <summary>The mean of the elements, computed in double as LINQ does.</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static float Average(this ParQuery<float> query) => (float)Mean<float, double>(query);

    /// <summary>The mean of the elements.</summary>
    /// <exception cref="InvalidOperationException">The query is empty.</exception>
    public static double Average(this ParQuery<double> query) => Mean<double, double>(query);

    private static SumFold<T, TAcc> Total<T, TAcc>(ParQuery<T> query)
        where T : unmanaged, INumber<T>
        where TAcc : INumber<TAcc> => Run(query, new SumFold<T, TAcc>(simd: true), new SumFold<T, TAcc>(simd: false));

    private static double Mean<T, TAcc>(ParQuery<T> query)
        where T : unmanaged, INumber<T>
        where TAcc : INumber<TAcc>
    {
        var mean = Run(query, new MeanFold<T, TAcc>(simd: true), new MeanFold<T, TAcc>(simd: false));
        return mean.Count == 0
            ? throw new InvalidOperationException("The query yields no elements.")
            : double.CreateTruncating(mean.Sum.Total) / mean.Count;
    }

    /// <summary>Runs the vector fold over a bare in-memory source, else the element fold through the pipeline.</summary>
    private static TFold Run<T, TFold>(ParQuery<T> query, TFold vector, TFold elements)
        where TFold : struct, IUnitFold<T, TFold>
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Stage is SpanStage<T> span ? QueryDriver.FoldBlocks(span, query.Options, vector) : query.Fold(elements);
    }

    private static T Extreme<T>(ParQuery<T> query, bool max)
        where T : unmanaged, INumber<T>
    {
        var best = Run(query, new ExtremeFold<T>(max, simd: true), new ExtremeFold<T>(max, simd: false));
        return best.Has ? best.Value : throw new InvalidOperationException("The query yields no elements.");
    }
}
