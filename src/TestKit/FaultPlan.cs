using Actorpool.Actors.Workers;

namespace Actorpool.Testing;

/// <summary>
/// The faults a spec wants a pool to suffer, consumed one by one as the pool's code runs: fail the next jobs (on any
/// worker or on a given one), make the next <c>Init</c> calls throw, delay the next jobs on the pool's clock. A pool
/// sees them once its options go through <see cref="FaultInjection.WithFaults{TState}"/> (or it is spawned by
/// <see cref="TestPools.SpawnTestPool{TState}"/>); the pool's own code is not changed. Thread-safe: a spec plans
/// faults while workers consume them. Each fault hits exactly one job or one <c>Init</c>, and <see cref="Injected"/>
/// lists those that did, in order.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _lock = new();

    // All fields below are guarded by _lock: the spec's thread plans, the workers' threads consume.
    private readonly Dictionary<int, int> _failOnWorker = [];
    private readonly Dictionary<int, int> _failInitOn = [];
    private readonly Queue<TimeSpan> _delays = new();
    private readonly List<InjectedFault> _injected = [];
    private int _failJobs;
    private int _failInits;

    /// <summary>The next <paramref name="count"/> jobs (whichever workers run them) throw <see cref="InjectedFaultException"/> before their code runs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public FaultPlan FailNextJobs(int count = 1) => Add(ref _failJobs, count);

    /// <summary>The next <paramref name="count"/> jobs that worker <paramref name="worker"/> (0-based index) runs throw <see cref="InjectedFaultException"/>; this beats <see cref="FailNextJobs"/> on that worker.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="worker"/> is negative or <paramref name="count"/> less than 1.</exception>
    public FaultPlan FailNextJobOn(int worker, int count = 1) => Add(_failOnWorker, worker, count);

    /// <summary>The next <paramref name="count"/> calls of the pool's <c>Init</c> (whichever worker makes them) throw <see cref="InjectedFaultException"/> instead of building a state.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public FaultPlan FailNextInits(int count = 1) => Add(ref _failInits, count);

    /// <summary>The next <paramref name="count"/> calls of <c>Init</c> for worker <paramref name="worker"/> throw <see cref="InjectedFaultException"/>; this beats <see cref="FailNextInits"/> for that worker.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="worker"/> is negative or <paramref name="count"/> less than 1.</exception>
    public FaultPlan FailNextInitOn(int worker, int count = 1) => Add(_failInitOn, worker, count);

    /// <summary>
    /// The next <paramref name="count"/> jobs wait <paramref name="delay"/> on the pool's <see cref="TimeProvider"/> before
    /// their code runs (advance a fake clock to let them go). An asynchronous job awaits the delay and sees its
    /// cancellation token; a synchronous one holds its worker's thread meanwhile, as slow synchronous code would.
    /// A job planned to fail fails at once instead (the delay goes to a later job).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is not positive or <paramref name="count"/> less than 1.</exception>
    public FaultPlan DelayNextJobs(TimeSpan delay, int count = 1)
    {
        if (delay <= TimeSpan.Zero || delay == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, $"The delay must be positive, was {delay}.");
        }

        AtLeastOne(count, nameof(count));
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _delays.Enqueue(delay);
            }
        }

        return this;
    }

    /// <summary>Forgets every fault planned and not injected yet (what was injected stays in <see cref="Injected"/>).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _failJobs = 0;
            _failInits = 0;
            _failOnWorker.Clear();
            _failInitOn.Clear();
            _delays.Clear();
        }
    }

    /// <summary>The faults injected so far, in the order they hit (a snapshot).</summary>
    public IReadOnlyList<InjectedFault> Injected
    {
        get
        {
            lock (_lock)
            {
                return [.. _injected];
            }
        }
    }

    /// <summary>How many planned faults have not hit yet (a snapshot).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _failJobs + _failInits + _failOnWorker.Values.Sum() + _failInitOn.Values.Sum() + _delays.Count;
            }
        }
    }

    /// <summary>Runs before a synchronous job's code on a pool worker: throws a planned failure, or blocks for a planned delay.</summary>
    internal void BeforeJob(TimeProvider time)
    {
        if (TakeJobFault() is { Delay: { } delay } fault)
        {
            var wait = Task.Delay(delay, time);
            Record(fault); // once the delay counts: a spec that saw it may advance the clock past it
            wait.GetAwaiter().GetResult();
        }
    }

    /// <summary>Runs before an asynchronous job's code on a pool worker: throws a planned failure, or awaits a planned delay.</summary>
    internal ValueTask BeforeJobAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        if (TakeJobFault() is not { Delay: { } delay } fault)
        {
            return ValueTask.CompletedTask;
        }

        var wait = Task.Delay(delay, time, cancellationToken);
        Record(fault);
        return new ValueTask(wait);
    }

    /// <summary>Runs before the pool's <c>Init</c> for worker <paramref name="worker"/>: throws a planned failure.</summary>
    internal void BeforeInit(int worker)
    {
        lock (_lock)
        {
            if (!Take(_failInitOn, worker) && !Take(ref _failInits))
            {
                return;
            }
        }

        throw new InjectedFaultException(Record(new InjectedFault(FaultKind.FailInit, worker)));
    }

    /// <summary>
    /// Takes the fault planned for the job now starting (on the worker running this thread): throws a failure, returns
    /// a delay for the caller to wait out (and record once its wait counts), or returns null.
    /// </summary>
    private InjectedFault? TakeJobFault()
    {
        var worker = WorkerContext.Index; // read before any await: the job's first part runs in its worker
        InjectedFault fault;
        lock (_lock)
        {
            if (worker is { } index && Take(_failOnWorker, index))
            {
                fault = new InjectedFault(FaultKind.FailWorkerJob, worker);
            }
            else if (Take(ref _failJobs))
            {
                fault = new InjectedFault(FaultKind.FailJob, worker);
            }
            else
            {
                return _delays.TryDequeue(out var delay) ? new InjectedFault(FaultKind.DelayJob, worker, delay) : null;
            }
        }

        throw new InjectedFaultException(Record(fault));
    }

    private InjectedFault Record(InjectedFault fault)
    {
        lock (_lock)
        {
            _injected.Add(fault);
        }

        return fault;
    }

    private FaultPlan Add(ref int planned, int count)
    {
        AtLeastOne(count, nameof(count));
        lock (_lock)
        {
            planned += count;
        }

        return this;
    }

    private FaultPlan Add(Dictionary<int, int> planned, int worker, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        AtLeastOne(count, nameof(count));
        lock (_lock)
        {
            planned[worker] = planned.GetValueOrDefault(worker) + count;
        }

        return this;
    }

    private static bool Take(ref int count)
    {
        if (count == 0)
        {
            return false;
        }

        count--;
        return true;
    }

    private static bool Take(Dictionary<int, int> counts, int worker)
    {
        if (!counts.TryGetValue(worker, out var count))
        {
            return false;
        }

        if (count == 1)
        {
            counts.Remove(worker);
        }
        else
        {
            counts[worker] = count - 1;
        }

        return true;
    }

    private static void AtLeastOne(int count, string name)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(name, count, $"The count of faults must be at least 1, was {count}.");
        }
    }
}
