using Actorpool.Core.Tests.Scheduling;

namespace Actorpool.Core.Tests.Iterators;

/// <summary>One 3-thread pool shared by a test class, and the inputs and splits the query tests run over.</summary>
public sealed class QueryPool : IDisposable
{
    public WorkStealingPool Pool { get; } = Watchdog.Pool(3);

    public void Dispose() => Pool.Dispose();
}

internal static class QueryInputs
{
    /// <summary>Every split kind, with sizes that leave odd remainders.</summary>
    internal static readonly Split[] Splits =
        [Split.ByThreads, Split.PerItem, Split.Chunks(3), Split.Chunks(64), Split.ChunkSize(7), Split.ChunkSize(1_000)];

    /// <summary>
    /// FsCheck's array as it is (small, often empty or one element) for one seed in three; otherwise an array of
    /// up to ~40 000 values in ±1 000 built from it and the seed, long enough for the parallel and vector paths.
    /// </summary>
    internal static long[] Longs(int[] xs, int seed)
    {
        if (seed % 3 == 0)
        {
            return [.. xs.Select(x => (long)x)];
        }

        var random = new Random(seed);
        var length = (xs.Length * 331) + (int)((uint)seed % 5_000);
        var values = new long[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.Next(-1_000, 1_001);
        }

        return values;
    }

    /// <summary>Runs a property body under the watchdog, so a hang fails the property instead of the run.</summary>
    internal static void Guarded(Action body) => Watchdog.Run(body).GetAwaiter().GetResult();
}
