using System.Diagnostics;

namespace Actorpool.Iterators;

/// <summary>Where and how a terminal operation runs: the pool (resolved), the split and the token.</summary>
internal readonly record struct QueryOptions(WorkStealingPool Pool, Split Split, CancellationToken Token);

/// <summary>
/// Builds a run for each kind of terminal operation: pipelines cut as the split says, bare-source numeric
/// reductions over fixed blocks, and searches in waves of growing size in index order.
/// </summary>
internal static class QueryDriver
{
    /// <summary>Below this many elements a search runs on the caller: forking would cost more than it saves.</summary>
    internal const int InlineBelow = 2_048;

    /// <summary>The caller folds up to this many elements of the first unit before it decides whether to fork.</summary>
    internal const int Probe = 1_024;

    /// <summary>Forking pays when the whole run, estimated from the probe, would take longer than this on one thread.</summary>
    internal static readonly TimeSpan ForkPays = TimeSpan.FromMicroseconds(25);

    /// <summary>A regroupable fold cuts <see cref="PiecesPerThread"/> pieces a thread only when its run is estimated longer than this.</summary>
    internal static readonly TimeSpan RegroupPays = TimeSpan.FromMilliseconds(1);

    /// <summary>As <see cref="InlineBelow"/> for vector reductions, which are far cheaper per element.</summary>
    internal const int SimdInlineBelow = 32_768;

    /// <summary>The block of a vector reduction: a constant, so the blocks depend on the input length only.</summary>
    internal const int Block = 4_096;

    /// <summary>
    /// Elements fed between two looks at the stop signal and the token. Every run is fed in slices this long: a
    /// look costs a few nanoseconds per slice, and a hot loop entered many times is tiered up (with profile-guided
    /// inlining of the user's delegates) soon, where one long call per unit would stay in its first compilation.
    /// </summary>
    internal const int StoppableSlice = 4_096;

    /// <summary>
    /// Pieces a thread that ByThreads cuts when the pieces cannot change the result (vector blocks, exact folds):
    /// a thread that the machine holds back then costs a quarter of its share, not all of it.
    /// </summary>
    internal const int PiecesPerThread = 4;

    /// <summary>The first wave of a search has this many elements per thread; each next wave is twice the last.</summary>
    internal const int FirstWavePerThread = 8_192;

    /// <summary>
    /// Runs <paramref name="empty"/>'s fold over the units the split cuts. The caller first folds a probe of the
    /// first unit and times it: a run whose estimated cost is below <see cref="ForkPays"/> (cheap delegates over a
    /// few thousand elements) runs on the caller. Either way the units and their combination are the same, so the
    /// decision changes where the work runs, never the result; only a regroupable fold, which no layout can change,
    /// is cut finer when its run is long.
    /// </summary>
    internal static TFold Fold<T, TFold>(Stage<T> stage, QueryOptions options, TFold empty)
        where TFold : struct, IUnitFold<T, TFold>
    {
        var length = Start(stage, options);
        if (length == 0)
        {
            return empty;
        }

        var plan = options.Split.Plan(0, length, Threads(options));
        var run = new QueryRun<T>(stage, options, plan, 1, parallel: false, StoppableSlice);
        var head = empty;
        var headEnd = Math.Min(plan.Start(1), Probe);
        var started = Stopwatch.GetTimestamp();
        try
        {
            head.Fold(run, 0, headEnd);
        }
        catch (Exception ex)
        {
            // The first unit failed; the others still run, as For's do, and the tree reports all failures.
            run.HeadError = ex;
        }

        var estimate = Stopwatch.GetElapsedTime(started) * ((double)length / headEnd);
        run.Parallel = plan.Units > 1 && (estimate > ForkPays || run.HeadError is not null);
        if (run.Parallel && estimate > RegroupPays && TFold.Regroupable && options.Split.Kind == SplitKind.ByThreads)
        {
            // The layout cannot change this fold's result, and the run is long enough that a few more Joins cost
            // nothing: cut finer pieces for balance (the probe must stay inside the first one).
            var finer = options.Split.Plan(0, length, Threads(options) * PiecesPerThread);
            if (finer.Start(1) >= headEnd)
            {
                run.Plan = finer;
            }
        }

        return Finish(run, run.Run(empty, head, headEnd));
    }

    /// <summary>
    /// Runs a vector reduction over fixed blocks of a bare source. The tree over the blocks depends on the
    /// length only (the split only decides how deep it forks), so floating-point sums have the same bits for
    /// any split, pool and thread count.
    /// </summary>
    internal static TFold FoldBlocks<T, TFold>(SpanStage<T> stage, QueryOptions options, TFold empty)
        where TFold : struct, IUnitFold<T, TFold>
    {
        var length = Start(stage, options);
        if (length == 0)
        {
            return empty;
        }

        var blocks = (int)(((long)length + Block - 1) / Block);
        // The blocks fix the result, so the fork depth is free: ByThreads forks PiecesPerThread pieces a thread.
        var units = options.Split.Plan(0, length, Threads(options)).Units * (options.Split.Kind == SplitKind.ByThreads ? PiecesPerThread : 1);
        var perUnit = Math.Max(1, blocks / Math.Max(1, units));
        var plan = new UnitPlan(0, length, blocks, Block);
        var run = new QueryRun<T>(stage, options, plan, perUnit, length >= SimdInlineBelow, Block);
        return Finish(run, run.Run(empty));
    }

    /// <summary>
    /// Runs a search in waves over [0, length) in index order, each wave cut as the split says, until a fold
    /// signals that positions after its find are not needed. Later waves are twice as long as earlier ones,
    /// so a find near the start costs little and a find near the end costs few waves.
    /// </summary>
    internal static TFold Search<T, TFold>(Stage<T> stage, QueryOptions options, TFold empty)
        where TFold : struct, IUnitFold<T, TFold>
    {
        var length = Start(stage, options);
        var threads = Threads(options);
        var run = new QueryRun<T>(stage, options, default, 1, length >= InlineBelow, StoppableSlice);
        var result = empty;
        var wave = (long)threads * FirstWavePerThread;
        for (var from = 0; from < length && !run.StopsBefore(from); wave *= 2)
        {
            var to = (int)Math.Min(length, from + wave);
            run.Plan = options.Split.Plan(from, to, threads);
            var found = run.Run(empty);
            result.Merge(ref found);
            from = to;
        }

        return Finish(run, result);
    }

    /// <summary>The thread count <see cref="Split.ByThreads"/> cuts for: fixed per pool, so the layout is too.</summary>
    private static int Threads(QueryOptions options) => options.Pool.ThreadCount;

    /// <summary>Throws if the token has already fired; else reads the length once for the whole run.</summary>
    private static int Start<T>(Stage<T> stage, QueryOptions options)
    {
        options.Token.ThrowIfCancellationRequested();
        return stage.Length;
    }

    private static TFold Finish<T, TFold>(QueryRun<T> run, TFold result)
    {
        if (run.Cancelled)
        {
            throw new OperationCanceledException(run.Options.Token);
        }

        return result;
    }
}
