#region parallel-queries
using Actorpool.Iterators;
#endregion

namespace Actorpool.Examples.Snippets;

/// <summary>README "Parallel queries": Range, Over, Zip with Select, Where, FirstIndex and Sum.</summary>
public static class ParallelQuerySnippets
{
    /// <summary>Runs the snippet; returns what it computed.</summary>
    public static (long Sum, double[] Big, int At, double Dot) Run(
        WorkStealingPool pool, double[] prices, double rate, double limit, LogEntry[] log, double[] xs, double[] ys, CancellationToken ct)
    {
        #region parallel-queries
        var sum = Par.Range(0, 10_000).Select(x => (long)x).With(Split.ByThreads).Sum();   // == 49995000
        var big = Par.Over(prices).Select(p => p * rate).Where(p => p > limit).ToArray();   // source order kept
        var at  = Par.Over(log).On(pool).WithCancellation(ct).FirstIndex(e => e.IsError);   // the earliest match
        var dot = Par.Zip(xs, ys, (x, y) => x * y).Sum();
        #endregion
        return (sum, big, at, dot);
    }
}

/// <summary>Stands in for a log line.</summary>
public sealed record LogEntry(bool IsError);
