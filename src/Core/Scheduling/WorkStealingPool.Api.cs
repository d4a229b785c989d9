namespace Actorpool;

// The public surface: arguments are checked here (the public edge), then each call goes to the part that does
// the work (Joins, ExternalJoins, Loops, Scopes, Spawns, BackgroundQueue).
public sealed partial class WorkStealingPool
{
    /// <summary>
    /// Queues <paramref name="item"/> as background work (FIFO, after all foreground work) with no handle and
    /// no allocation beyond the queue's storage. Workers take queued items in bursts of up to 64 into their own
    /// small FIFO, which idle workers steal from half at a time; so with one worker the order is exact, and with
    /// several an item may start a few dozen places out of order (never waiting behind a long item while
    /// another worker is idle). An exception it throws goes to
    /// <see cref="WorkStealingPoolOptions.OnUnhandledException"/>. Items still queued at Dispose do not run.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public void UnsafeQueue(IThreadPoolWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        BackgroundQueue.Enqueue(this, item);
    }

    /// <summary>
    /// Runs <paramref name="a"/> and <paramref name="b"/>, possibly in parallel, and returns when both are
    /// done; both structs hold their final state afterwards. The caller runs <paramref name="a"/> and takes
    /// <paramref name="b"/> back unless a worker stole it; while waiting it helps only with its own job tree.
    /// <paramref name="b"/> is offered to thieves only when the caller has no other stealable job (lazy
    /// splitting: thieves take the oldest, largest job first, so deeper halves would not be stolen anyway).
    /// If either throws, the other still finishes, then the exception is rethrown (an
    /// <see cref="AggregateException"/> with both when both threw). Allocates nothing in steady state.
    /// </summary>
    public void Join<TA, TB>(ref TA a, ref TB b)
        where TA : struct, IJob
        where TB : struct, IJob
    {
        var self = ThreadContext.Current;
        if (self is not null && ReferenceEquals(self.Pool, this))
        {
            Joins.JoinOn(this, self, ref a, ref b);
        }
        else
        {
            ExternalJoins.Join(this, ref a, ref b);
        }
    }

    /// <summary>Runs two actions as <see cref="Join{TA, TB}(ref TA, ref TB)"/> does.</summary>
    public void Join(Action a, Action b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ja = new ActionJob(a);
        var jb = new ActionJob(b);
        Join(ref ja, ref jb);
    }

    /// <summary>Runs two functions as <see cref="Join{TA, TB}(ref TA, ref TB)"/> does and returns both results.</summary>
    public (TA A, TB B) Join<TA, TB>(Func<TA> a, Func<TB> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ja = new FuncJob<TA>(a);
        var jb = new FuncJob<TB>(b);
        Join(ref ja, ref jb);
        return (ja.Result, jb.Result);
    }

    /// <summary>Runs every action, possibly in parallel (a balanced tree of Joins); rethrows as Join does.</summary>
    public void JoinAll(params Action[] actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        RequireNoNull(actions, nameof(actions));
        Joins.JoinAll(this, actions);
    }

    /// <summary>Runs every function, possibly in parallel, and returns their results in argument order.</summary>
    public T[] JoinAll<T>(params Func<T>[] functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        RequireNoNull(functions, nameof(functions));
        return Joins.JoinAll(this, functions);
    }

    /// <summary>
    /// Calls <paramref name="body"/> once for every index in [<paramref name="from"/>, <paramref name="to"/>),
    /// units in parallel as <paramref name="split"/> cuts them. If units throw, every unit still finishes, then
    /// the failures are rethrown (one, or a flattened <see cref="AggregateException"/>).
    /// </summary>
    public void For(int from, int to, Action<int> body, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ForRange(from, to, Loops.EachIndex(body), split);
    }

    /// <summary>As <see cref="For(int, int, Action{int}, Split)"/>, but the body gets each unit's [start, end).</summary>
    public void ForRange(int from, int to, Action<int, int> body, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        CheckRange(from, to);
        Loops.ForRange(this, from, to, body, split);
    }

    /// <summary>Calls <paramref name="body"/> once for every element of <paramref name="items"/>, as For does.</summary>
    public void For<T>(T[] items, Action<T> body, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(body);
        ForRange(0, items.Length, Loops.EachItem(items, body), split);
    }

    /// <summary>
    /// Maps every index and combines the results deterministically: each unit folds its indices in order from
    /// <paramref name="identity"/>, and unit results are combined in index order. Failures propagate as For's do.
    /// </summary>
    public T Reduce<T>(int from, int to, T identity, Func<int, T> map, Func<T, T, T> combine, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(combine);
        return ReduceRange(from, to, identity, Loops.FoldEachIndex(identity, map, combine), combine, split);
    }

    /// <summary>As Reduce, but <paramref name="mapRange"/> folds a whole unit [start, end) itself.</summary>
    public T ReduceRange<T>(int from, int to, T identity, Func<int, int, T> mapRange, Func<T, T, T> combine, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(mapRange);
        ArgumentNullException.ThrowIfNull(combine);
        CheckRange(from, to);
        return Loops.ReduceRange(this, from, to, identity, mapRange, combine, split);
    }

    /// <summary>Reduces <paramref name="items"/> chunk by chunk: <paramref name="mapChunk"/> folds one unit's span.</summary>
    public T Reduce<TItem, T>(ReadOnlyMemory<TItem> items, T identity, Func<ReadOnlySpan<TItem>, T> mapChunk,
        Func<T, T, T> combine, Split split = default)
    {
        ArgumentNullException.ThrowIfNull(mapChunk);
        return ReduceRange(0, items.Length, identity, Loops.FoldEachChunk(items, mapChunk), combine, split);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a scope to spawn background jobs into, and returns only when every
    /// job spawned in it has finished, even if the body or a job threw; then rethrows (an
    /// <see cref="AggregateException"/> when several failed). The caller helps run the scope's jobs while it
    /// waits. With <paramref name="backlog"/>, Spawn blocks (helping) while that many jobs are queued.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="backlog"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public void Scope(Action<TaskScope> body, int? backlog = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (backlog is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(backlog), backlog, $"Backlog must be at least 1, was {backlog}.");
        }

        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Scopes.Run(this, body, backlog);
    }

    /// <summary>
    /// Queues <paramref name="action"/> as background work (FIFO, after foreground work; with several workers a
    /// task may start a few dozen places early or late, see <see cref="UnsafeQueue"/>) and returns its handle.
    /// If the pool is disposed before it starts, the handle completes as cancelled. Retry-safe: it throws only
    /// before the work was accepted; once it returns a handle, the work runs at most once and the handle tells how it ended.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool had been disposed before the call (nothing was queued).</exception>
    public TaskHandle Spawn(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var handle = new ActionTaskHandle(action);
        Spawns.Submit(this, handle);
        return handle;
    }

    /// <summary>Queues <paramref name="function"/> as background work and returns a handle to its result.</summary>
    /// <exception cref="ObjectDisposedException">The pool had been disposed before the call (nothing was queued).</exception>
    public TaskHandle<T> Spawn<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var handle = new FuncTaskHandle<T>(function);
        Spawns.Submit(this, handle);
        return handle;
    }

    /// <summary>
    /// Queues a struct <paramref name="job"/> as background work, exactly as <see cref="Spawn(Action)"/> does
    /// (same order, outcomes, cancellation at Dispose and retry-safety), with one allocation per call: the
    /// returned handle, which holds a copy of the job and runs <see cref="IJob.Run"/> on it in place. No
    /// delegate, closure or box is allocated. <see cref="TaskHandle{T}.Join"/> returns the job after it ran, so
    /// results stored in its fields reach the caller, as with <see cref="Join{TA, TB}(ref TA, ref TB)"/>; the
    /// handle keeps the job (and what it references) for as long as the handle is reachable.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool had been disposed before the call (nothing was queued).</exception>
    public TaskHandle<TJob> Spawn<TJob>(TJob job)
        where TJob : struct, IJob
    {
        var handle = new JobTaskHandle<TJob>(in job);
        Spawns.Submit(this, handle);
        return handle;
    }

    /// <summary>Rejects a null entry before anything runs, naming its index (a null found mid-run would leave the others half done).</summary>
    private static void RequireNoNull(Delegate?[] entries, string name)
    {
        var index = Array.IndexOf(entries, null);
        if (index >= 0)
        {
            throw new ArgumentException($"{name}[{index}] is null; every entry must be a delegate.", name);
        }
    }

    private static void CheckRange(int from, int to)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"To must be at least From ({from}), was {to}.");
        }
    }
}
