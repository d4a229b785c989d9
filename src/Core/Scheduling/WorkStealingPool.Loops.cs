namespace Actorpool;

public sealed partial class WorkStealingPool
{
    /// <summary>
    /// Calls <paramref name="body"/> once for every index in [<paramref name="from"/>, <paramref name="to"/>),
    /// units in parallel as <paramref name="split"/> cuts them. If units throw, every unit still finishes, then
    /// the failures are rethrown (one, or a flattened <see cref="AggregateException"/>).
    /// </summary>
    public void For(int from, int to, Action<int> body, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ForRange(from, to, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                body(i);
            }
        }, split);
    }

    /// <summary>As <see cref="For(int, int, Action{int}, Split)"/>, but the body gets each unit's [start, end).</summary>
    public void ForRange(int from, int to, Action<int, int> body, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        CheckRange(from, to);
        if (from == to)
        {
            return;
        }

        var plan = split.Plan(from, to, LoopThreads());
        var job = new ForJob(this, plan, body, 0, plan.Units);
        RunFlattened(ref job);
    }

    /// <summary>Calls <paramref name="body"/> once for every element of <paramref name="items"/>, as For does.</summary>
    public void For<T>(T[] items, Action<T> body, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(body);
        ForRange(0, items.Length, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                body(items[i]);
            }
        }, split);
    }

    /// <summary>
    /// Maps every index and combines the results deterministically: each unit folds its indices in order from
    /// <paramref name="identity"/>, and unit results are combined in index order. Failures propagate as For's do.
    /// </summary>
    public T Reduce<T>(int from, int to, T identity, Func<int, T> map, Func<T, T, T> combine, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(combine);
        return ReduceRange(from, to, identity, (start, end) =>
        {
            var acc = identity;
            for (var i = start; i < end; i++)
            {
                acc = combine(acc, map(i));
            }

            return acc;
        }, combine, split);
    }

    /// <summary>As Reduce, but <paramref name="mapRange"/> folds a whole unit [start, end) itself.</summary>
    public T ReduceRange<T>(int from, int to, T identity, Func<int, int, T> mapRange, Func<T, T, T> combine, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(mapRange);
        ArgumentNullException.ThrowIfNull(combine);
        CheckRange(from, to);
        if (from == to)
        {
            return identity;
        }

        var plan = split.Plan(from, to, LoopThreads());
        var job = new ReduceJob<T>(this, plan, mapRange, combine, 0, plan.Units);
        RunFlattened(ref job);
        return job.Result;
    }

    /// <summary>Reduces <paramref name="items"/> chunk by chunk: <paramref name="mapChunk"/> folds one unit's span.</summary>
    public T Reduce<TItem, T>(ReadOnlyMemory<TItem> items, T identity, Func<ReadOnlySpan<TItem>, T> mapChunk,
        Func<T, T, T> combine, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(mapChunk);
        return ReduceRange(0, items.Length, identity, (start, end) => mapChunk(items.Span[start..end]), combine, split);
    }

    private static void CheckRange(int from, int to)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"To must be at least From ({from}), was {to}.");
        }
    }

    /// <summary>
    /// The threads that will run a loop started here, for <see cref="Split.ByThreads"/>: a worker caller is one
    /// of the workers; an external caller takes a worker's place when the workers already cover the cores
    /// (see TakesForeground), so it adds a thread only when some core has no worker.
    /// </summary>
    private int LoopThreads()
    {
        var self = ThreadContext.Current;
        var inPool = self is not null && ReferenceEquals(self.Pool, this);
        if (inPool && self!.IsWorker)
        {
            return _workers.Length;
        }

        // Outside callers running Joins on this pool, counting this one (already counted when it is inside one).
        var externals = Volatile.Read(ref _activeExternals) + (inPool ? 0 : 1);
        return Math.Min(_workers.Length, Math.Max(0, _cores - externals)) + 1;
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
