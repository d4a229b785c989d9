namespace Actorpool;

/// <summary>
/// The parallel loops of a <see cref="WorkStealingPool"/> (For, ForRange, Reduce, ReduceRange): a loop is cut
/// into units by its <see cref="Split"/> and the units run as a balanced tree of Joins. Arguments are checked
/// by the pool's public methods before they get here.
/// </summary>
internal static class Loops
{
    /// <summary>Runs <paramref name="body"/> over the units of [<paramref name="from"/>, <paramref name="to"/>) as the pool's ForRange does.</summary>
    internal static void ForRange(WorkStealingPool pool, int from, int to, Action<int, int> body, Split split)
    {
        if (from == to)
        {
            return;
        }

        var plan = split.Plan(from, to, LoopThreads(pool));
        var job = new ForJob(pool, plan, body, 0, plan.Units);
        Joins.RunFlattened(ref job);
    }

    /// <summary>Folds the units of [<paramref name="from"/>, <paramref name="to"/>) as the pool's ReduceRange does.</summary>
    internal static T ReduceRange<T>(WorkStealingPool pool, int from, int to, T identity, Func<int, int, T> mapRange, Func<T, T, T> combine, Split split)
    {
        if (from == to)
        {
            return identity;
        }

        var plan = split.Plan(from, to, LoopThreads(pool));
        var job = new ReduceJob<T>(pool, plan, mapRange, combine, 0, plan.Units);
        Joins.RunFlattened(ref job);
        return job.Result;
    }

    /// <summary>A unit body for For over indices: calls <paramref name="body"/> for each index of the unit, in order.</summary>
    internal static Action<int, int> EachIndex(Action<int> body) => (start, end) =>
    {
        for (var i = start; i < end; i++)
        {
            body(i);
        }
    };

    /// <summary>A unit body for For over an array: calls <paramref name="body"/> for each element of the unit, in order.</summary>
    internal static Action<int, int> EachItem<T>(T[] items, Action<T> body) => (start, end) =>
    {
        for (var i = start; i < end; i++)
        {
            body(items[i]);
        }
    };

    /// <summary>A unit fold for Reduce: folds the unit's indices in order from <paramref name="identity"/>.</summary>
    internal static Func<int, int, T> FoldEachIndex<T>(T identity, Func<int, T> map, Func<T, T, T> combine) => (start, end) =>
    {
        var acc = identity;
        for (var i = start; i < end; i++)
        {
            acc = combine(acc, map(i));
        }

        return acc;
    };

    /// <summary>A unit fold for Reduce over memory: hands the unit's span to <paramref name="mapChunk"/>.</summary>
    internal static Func<int, int, T> FoldEachChunk<TItem, T>(ReadOnlyMemory<TItem> items, Func<ReadOnlySpan<TItem>, T> mapChunk) =>
        (start, end) => mapChunk(items.Span[start..end]);

    /// <summary>
    /// The threads that will run a loop started here, for <see cref="Split.ByThreads"/>: a worker caller is one
    /// of the workers; an external caller takes a worker's place when the workers already cover the cores
    /// (see WorkerLoop.TakesForeground), so it adds a thread only when some core has no worker.
    /// </summary>
    private static int LoopThreads(WorkStealingPool pool)
    {
        var self = ThreadContext.Current;
        var inPool = self is not null && ReferenceEquals(self.Pool, pool);
        if (inPool && self!.IsWorker)
        {
            return pool.Workers.Length;
        }

        // Outside callers running Joins on this pool, counting this one (already counted when it is inside one).
        var externals = Volatile.Read(ref pool.ActiveExternals) + (inPool ? 0 : 1);
        return Math.Min(pool.Workers.Length, Math.Max(0, pool.Cores - externals)) + 1;
    }

    /// <summary>Units [lo, hi) of a For: one unit runs inline; more split in halves through Join.</summary>
    private struct ForJob(WorkStealingPool pool, UnitPlan plan, Action<int, int> body, int lo, int hi) : IJob
    {
        public readonly void Run()
        {
            if (hi - lo == 1)
            {
                body(plan.Start(lo), plan.Start(hi));
                return;
            }

            var mid = lo + ((hi - lo) / 2);
            var left = new ForJob(pool, plan, body, lo, mid);
            var right = new ForJob(pool, plan, body, mid, hi);
            pool.Join(ref left, ref right);
        }
    }

    /// <summary>Units [lo, hi) of a Reduce; the left result is always combined before the right one.</summary>
    private struct ReduceJob<T>(WorkStealingPool pool, UnitPlan plan, Func<int, int, T> map, Func<T, T, T> combine, int lo, int hi) : IJob
    {
        public T Result = default!;

        public void Run()
        {
            if (hi - lo == 1)
            {
                Result = map(plan.Start(lo), plan.Start(hi));
                return;
            }

            var mid = lo + ((hi - lo) / 2);
            var left = new ReduceJob<T>(pool, plan, map, combine, lo, mid);
            var right = new ReduceJob<T>(pool, plan, map, combine, mid, hi);
            pool.Join(ref left, ref right);
            Result = combine(left.Result, right.Result);
        }
    }
}
