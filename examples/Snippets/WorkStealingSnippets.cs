namespace Actorpool.Examples.Snippets;

/// <summary>README "Work-stealing core": Join, Spawn, For, Reduce and a scope with per-thread state.</summary>
public static class WorkStealingSnippets
{
    /// <summary>Runs the snippet on <paramref name="pool"/>; returns what it computed and how many scope jobs ran.</summary>
    public static (int A, int B, long R, long Sum, int Ran) Run(WorkStealingPool pool, ReadOnlyMemory<long> data, int n)
    {
        var before = Volatile.Read(ref _ran);
        #region work-stealing-core
        var (a, b) = Fork.Join(() => Left(), () => Right());     // both threw → AggregateException of both
        var h = Fork.Spawn(() => Compute()); var r = h.Join();   // runs inline if not started; Cancel(), AsTask()
        Fork.For(0, n, i => Work(i), Split.Chunks(64));           // ByThreads | PerItem | Chunks(n) | ChunkSize(k)
        var sum = pool.Reduce<long, long>(data, 0, s => Sum(s), (x, y) => x + y);   // combined in index order
        pool.Scope(s =>
        {
            var db = s.WithState(() => Open());                   // one state per thread per scope
            db.Spawn((ref Conn c) => c.Run());
        }, backlog: 100);                                         // returns when every job ended, then rethrows
        #endregion
        return (a, b, r, sum, Volatile.Read(ref _ran) - before);
    }

    // Scope jobs run so far (any pool thread increments it).
    private static int _ran;

    private static int Left() => 1;

    private static int Right() => 2;

    private static long Compute() => 42;

    private static void Work(int i) => _ = i;

    private static long Sum(ReadOnlySpan<long> span)
    {
        var total = 0L;
        foreach (var x in span)
        {
            total += x;
        }

        return total;
    }

    private static Conn Open() => default;

    /// <summary>Stands in for a connection: one per thread per scope.</summary>
    private struct Conn
    {
        public readonly void Run() => Interlocked.Increment(ref _ran);
    }
}
