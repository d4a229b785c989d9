using System.Collections.Concurrent;
using System.Diagnostics;

namespace Actorpool;

/// <summary>
/// A work-stealing scheduler on dedicated threads (not the .NET ThreadPool). Foreground work (Join halves,
/// loop units) runs before background work (spawned tasks, queued items, FIFO up to a worker's burst); a thread waiting in Join
/// helps only with its own job tree. Idle workers spin for <see cref="WorkStealingPoolOptions.SpinTime"/>,
/// then sleep without burning CPU.
/// </summary>
public sealed partial class WorkStealingPool : IDisposable
{
    private const int MaxExternals = 64;
    private static readonly Lazy<WorkStealingPool> LazyDefault = new(() => new WorkStealingPool(new WorkStealingPoolOptions { MaxSpinTime = DefaultMaxSpinTime }) { _isDefault = true });

    // The shared pool serves actor mailboxes (request/response rhythms), so its spin window adapts.
    private static readonly TimeSpan DefaultMaxSpinTime = WorkStealingPoolOptions.DefaultSpinTime * 16;

    private readonly WorkStealingPoolOptions _options;
    private readonly ThreadContext[] _workers;
    private readonly Thread[] _threads;
    private readonly ThreadContext?[] _externals = new ThreadContext?[MaxExternals];
    private readonly Func<IParker> _parkerFactory;
    private readonly ScaleGate _gate;
    private readonly long _spinTicks;
    private readonly long _maxSpinTicks;
    private readonly int _cores = Environment.ProcessorCount;
    private QueueToken _token; // held by the one worker taking a burst from _background

    // Background FIFO: TaskHandle, ScopeJob or a raw IThreadPoolWorkItem.
    private readonly ConcurrentQueue<object> _background = new();

    private int _externalHigh;  // 1 + highest external slot ever leased; only grows
    private int _sleepers;      // workers with Parked == 1; see Sleep and WakeOne
    private int _spinning;      // workers in Spin looking for work (a hint for external Joins)
    private int _longSpinners;  // of those, the ones spinning past SpinTime (at most MaxLongSpinners)
    private int _activeExternals; // external threads running their own outermost Join (see TakesForeground)
    private int _disposed;      // 1 once Dispose started
    private bool _isDefault;    // set once, by LazyDefault's factory

    /// <summary>Starts a pool with <paramref name="options"/> (defaults when null); throws naming a bad option.</summary>
    public WorkStealingPool(WorkStealingPoolOptions? options = null)
        : this(options, static () => new MonitorParker())
    {
    }

    internal WorkStealingPool(WorkStealingPoolOptions? options, Func<IParker> parkerFactory)
    {
        _options = options ?? new WorkStealingPoolOptions();
        _options.Validate();
        _parkerFactory = parkerFactory;
        _spinTicks = (long)(_options.SpinTime.TotalSeconds * Stopwatch.Frequency);
        _maxSpinTicks = Math.Max(_spinTicks, (long)((_options.MaxSpinTime ?? _options.SpinTime).TotalSeconds * Stopwatch.Frequency));
        _gate = new ScaleGate(_options.Scale, _options.TimeProvider, _options.ScaleCachePeriod, _options.Threads, ReportUnhandled);
        _workers = new ThreadContext[_options.Threads];
        _threads = new Thread[_options.Threads];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new ThreadContext(this, i, isWorker: true, parkerFactory());
        }

        try
        {
            for (var i = 0; i < _threads.Length; i++)
            {
                var context = _workers[i];
                ThreadStart entry = () => WorkerMain(context);
                var thread = _options.ThreadFactory?.Invoke(entry) ?? new Thread(entry);
                thread.Name ??= $"{_options.ThreadNamePrefix}-{i}";
                thread.IsBackground = true;
                thread.Start();
                _threads[i] = thread;
            }
        }
        catch
        {
            Dispose(); // a failing thread factory must not leave the threads already started running
            throw;
        }
    }

    /// <summary>The process-wide pool, created on first use with default options; disposing it does nothing.</summary>
    public static WorkStealingPool Default => LazyDefault.Value;

    /// <summary>The number of dedicated worker threads.</summary>
    public int ThreadCount => _workers.Length;

    /// <summary>Workers currently parked (test and benchmark hook).</summary>
    internal int SleepingWorkers => Volatile.Read(ref _sleepers);

    /// <summary>Workers currently spinning for work (test hook).</summary>
    internal int SpinningWorkers => Volatile.Read(ref _spinning);

    /// <summary>How many workers may spin past SpinTime at once: one fewer than the cores (see Spin).</summary>
    internal int MaxLongSpinners => _cores - 1;

    /// <summary>
    /// Test hook: sets every worker's adaptive spin window, as if each had been woken soon after parking
    /// several times. Owners overwrite it as they adapt.
    /// </summary>
    internal void SetSpinWindows(TimeSpan window)
    {
        var ticks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        foreach (var worker in _workers)
        {
            Volatile.Write(ref worker.SpinTicks, ticks);
        }
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

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
        EnqueueBackground(item);
    }

    /// <summary>
    /// Stops the worker threads after their current job and waits for them; spawned tasks that never started
    /// complete as cancelled; a Join in progress still finishes (its caller runs what is left); queued
    /// <see cref="UnsafeQueue"/> items that never started are dropped. A no-op on <see cref="Default"/>.
    /// </summary>
    public void Dispose()
    {
        if (_isDefault)
        {
            return; // the process-wide pool lives as long as the process; disposing it is a no-op
        }

        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var worker in _workers)
        {
            Volatile.Write(ref worker.Parked, 0);
            worker.Parker.Set();
        }

        foreach (var thread in _threads)
        {
            if (thread is not null && thread != Thread.CurrentThread)
            {
                thread.Join();
            }
        }

        CancelQueuedBackground();
    }

    private void EnqueueBackground(object item)
    {
        // Enqueue reserves its slot with an interlocked operation on the queue's tail (a full fence), and
        // IsEmpty counts a reserved slot as non-empty; so the reservation is visible before _sleepers is read
        // below, pairing with the fence in Sleep (announce, then recheck IsEmpty): either the sleeper sees the
        // item or we see the sleeper. No second fence is needed on this hot path.
        _background.Enqueue(item);
        if (Volatile.Read(ref _sleepers) != 0)
        {
            WakeOne(admittedOnly: false);
        }
    }

    /// <summary>
    /// Wakes the lowest-index sleeping worker, if any. With <paramref name="admittedOnly"/> (the foreground
    /// hint) a worker the scale gate holds back is left asleep; background work wakes one regardless, because a
    /// worker that went to sleep while admitted sleeps without polling and would otherwise miss a later rise.
    /// </summary>
    private void WakeOne(bool admittedOnly)
    {
        foreach (var worker in _workers)
        {
            if (admittedOnly && (!_gate.Allows(worker.Index) || !TakesForeground(worker)))
            {
                return; // the rest have higher indices: held back too
            }

            if (Volatile.Read(ref worker.Parked) == 1 && Interlocked.CompareExchange(ref worker.Parked, 0, 1) == 1)
            {
                Interlocked.Decrement(ref _sleepers);
                worker.Parker.Set();
                return;
            }
        }
    }

    private void CancelQueuedBackground()
    {
        foreach (var worker in _workers)
        {
            while (worker.Ring.TryTake() is { } held)
            {
                CancelQueued(held);
            }
        }

        while (_background.TryDequeue(out var item))
        {
            CancelQueued(item);
        }
    }

    private static void CancelQueued(object item)
    {
        switch (item)
        {
            case TaskHandle handle:
                handle.Cancel();
                break;
            // A ScopeJob is also in its scope's own queue; the scope's owner runs it, so drop it here.
        }
    }

    private void RunBackground(object item, ThreadContext runner)
    {
        runner.Book.Taken++; // owner-written progress count (see StealFromStalledRing)
        switch (item)
        {
            case TaskHandle handle:
                handle.RunFromQueue(runner);
                break;
            case ScopeJob job:
                job.TryRun();
                break;
            default:
                try
                {
                    ((IThreadPoolWorkItem)item).Execute();
                }
                catch (Exception ex)
                {
                    ReportUnhandled(ex);
                }

                break;
        }
    }

    internal void ReportUnhandled(Exception ex)
    {
        if (_options.OnUnhandledException is { } handler)
        {
            try
            {
                handler(ex);
            }
            catch (Exception handlerFailure)
            {
                Trace.TraceError($"Actorpool: OnUnhandledException threw {handlerFailure}");
            }
        }
        else
        {
            Trace.TraceError($"Actorpool: unhandled exception in a queued work item: {ex}");
        }
    }
}
