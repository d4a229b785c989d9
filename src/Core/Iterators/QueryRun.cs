using System.Runtime.ExceptionServices;

namespace Actorpool.Iterators;

/// <summary>What one unit of a run computes: it folds positions [start, end) and merges with its right neighbour.</summary>
internal interface IUnitFold<T, TSelf>
    where TSelf : struct, IUnitFold<T, TSelf>
{
    /// <summary>Folds positions [start, end) into this value, which holds the fold of everything left of start in its unit.</summary>
    void Fold(QueryRun<T> run, int start, int end);

    /// <summary>Combines the result of the positions right after this one's into this one (index order).</summary>
    void Merge(ref TSelf right);

    /// <summary>
    /// True when the result cannot depend on where units start (exact integer arithmetic), so a ByThreads run may
    /// cut finer units, which balance better when a thread is held back; floating-point folds keep their layout.
    /// </summary>
    static virtual bool Regroupable => false;
}

/// <summary>
/// The shared state of one terminal operation: the stage, the unit layout, the pool, and the stop signal that
/// early exit and cancellation set. Units read it from any thread; only the stop fields change during a run.
/// </summary>
internal sealed class QueryRun<T>
{
    // Written by any unit with a CAS that only lowers it; read by every unit before each slice. A slice that
    // starts after it is skipped: int.MaxValue runs everything, -1 (an answer is known, or cancelled) skips all.
    private int _stopAfter = int.MaxValue;

    // Set (once, to true) by the unit that saw the token cancelled; read by the caller after the run.
    private volatile bool _cancelled;

    internal QueryRun(Stage<T> stage, QueryOptions options, UnitPlan plan, int sequentialUnits, bool parallel, int slice)
    {
        Stage = stage;
        Options = options;
        Plan = plan;
        SequentialUnits = sequentialUnits;
        Parallel = parallel;
        Slice = slice;
    }

    internal Stage<T> Stage { get; }

    internal QueryOptions Options { get; }

    internal UnitPlan Plan { get; set; }

    /// <summary>A node of at most this many units runs on one thread, without forking (the same tree either way).</summary>
    internal int SequentialUnits { get; }

    /// <summary>False for runs too small for forking to pay: the whole tree runs on the caller (the same tree).</summary>
    internal bool Parallel { get; set; }

    /// <summary>The most positions fed between two looks at the stop signal and the token.</summary>
    internal int Slice { get; }

    internal bool Cancelled => _cancelled;

    /// <summary>What the caller's probe of the first unit threw (written before the tree runs); that unit rethrows it.</summary>
    internal Exception? HeadError { get; set; }

    /// <summary>Whether work at <paramref name="position"/> is no longer needed.</summary>
    internal bool StopsBefore(int position) => position > Volatile.Read(ref _stopAfter);

    /// <summary>An answer was found at <paramref name="position"/>: positions after it need not be looked at.</summary>
    internal void StopAfter(int position) => Atomic.Lower(ref _stopAfter, position);

    /// <summary>The answer is known: every unit stops at its next slice.</summary>
    internal void StopAll() => StopAfter(-1);

    /// <summary>Feeds [start, end) to <paramref name="sink"/> slice by slice, stopping on the signal or the token.</summary>
    internal void Feed<TSink>(int start, int end, ref TSink sink)
        where TSink : struct, ISink<T>
    {
        for (var from = start; from < end; from = (int)Math.Min((long)from + Slice, end))
        {
            if (!Continues(from))
            {
                return;
            }

            var to = (int)Math.Min((long)from + Slice, end);
            if (!Stage.Feed(from, to, ref sink))
            {
                return;
            }
        }
    }

    /// <summary>False when work at <paramref name="position"/> must not start (stopped, or the token fired).</summary>
    internal bool Continues(int position)
    {
        if (StopsBefore(position))
        {
            return false;
        }

        if (Options.Token.IsCancellationRequested)
        {
            _cancelled = true;
            StopAll();
            return false;
        }

        return true;
    }

    /// <summary>
    /// Runs the tree of units [0, Plan.Units) and returns the merged result. The first unit continues from
    /// <paramref name="head"/>, the fold of its positions before <paramref name="headEnd"/> (0: none).
    /// </summary>
    internal TFold Run<TFold>(TFold empty, TFold head = default, int headEnd = 0)
        where TFold : struct, IUnitFold<T, TFold>
    {
        var job = new FoldJob<T, TFold>(this, empty, 0, Plan.Units, head, headEnd);
        Joins.RunFlattened(ref job);
        return job.Result;
    }
}

/// <summary>
/// Units [lo, hi) of a run, split in halves through Join (or run inline below the run's grain). The left result
/// is always merged before the right one, so the result depends on the unit layout only, never on stealing.
/// </summary>
internal struct FoldJob<T, TFold> : IJob
    where TFold : struct, IUnitFold<T, TFold>
{
    public TFold Result;
    private readonly QueryRun<T> _run;
    private readonly TFold _empty;
    private readonly int _lo;
    private readonly int _hi;
    private readonly TFold _head;   // the first unit's fold so far, passed down the left spine only
    private readonly int _headEnd;  // where _head stops (0: no head)

    public FoldJob(QueryRun<T> run, TFold empty, int lo, int hi, TFold head, int headEnd)
    {
        Result = empty;
        _run = run;
        _empty = empty;
        _lo = lo;
        _hi = hi;
        _head = head;
        _headEnd = headEnd;
    }

    public void Run()
    {
        if (_hi - _lo == 1)
        {
            var start = _run.Plan.Start(_lo);
            if (_headEnd > start)
            {
                if (_run.HeadError is { } error)
                {
                    ExceptionDispatchInfo.Throw(error);
                }

                Result = _head;
                start = _headEnd;
            }

            Result.Fold(_run, start, _run.Plan.Start(_hi));
            return;
        }

        var mid = _lo + ((_hi - _lo) / 2);
        var left = new FoldJob<T, TFold>(_run, _empty, _lo, mid, _head, _headEnd);
        var right = new FoldJob<T, TFold>(_run, _empty, mid, _hi, _empty, 0);
        if (_run.Parallel && _hi - _lo > _run.SequentialUnits)
        {
            _run.Options.Pool.Join(ref left, ref right);
        }
        else
        {
            Joins.RunBothInline(ref left, ref right);
        }

        Result = left.Result;
        Result.Merge(ref right.Result);
    }
}
