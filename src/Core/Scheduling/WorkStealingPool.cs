using System.Collections.Concurrent;
using System.Diagnostics;

namespace Actorpool;

// This file holds the pool's state, construction and Dispose; WorkStealingPool.Api.cs the public surface. The
// machinery is in internal static parts that take the pool: WorkerLoop, BackgroundQueue, IdleWorkers, Joins,
// ExternalJoins, Loops, Scopes and Spawns. The fields they share are internal; each says who writes it.

/// <summary>
/// A work-stealing scheduler on dedicated threads (not the .NET ThreadPool). Foreground work (Join halves,
/// loop units) runs before background work (spawned tasks, queued items, FIFO up to a worker's burst); a thread waiting in Join
/// helps only with its own job tree. Idle workers spin for <see cref="WorkStealingPoolOptions.SpinTime"/>,
/// then sleep without burning CPU.
/// </summary>
public sealed partial class WorkStealingPool : IDisposable
{
    internal const int MaxExternals = 64;
    private static readonly Lazy<WorkStealingPool> LazyDefault = new(() => new WorkStealingPool(new WorkStealingPoolOptions { MaxSpinTime = DefaultMaxSpinTime }) { _isDefault = true });

    // The shared pool serves actor mailboxes (request/response rhythms), so its spin window adapts.
    private static readonly TimeSpan DefaultMaxSpinTime = WorkStealingPoolOptions.DefaultSpinTime * 16;

    // Written once by the constructor, read by every part.
    internal readonly WorkStealingPoolOptions Options;
    internal readonly ThreadContext[] Workers;
    private readonly Thread[] _threads;
    internal readonly ThreadContext?[] Externals = new ThreadContext?[MaxExternals]; // slots CAS'd in once by ExternalJoins.Lease
    internal readonly Func<IParker> ParkerFactory;
    internal readonly ScaleGate Gate;
    internal readonly long SpinTimeTicks;    // SpinTime in Stopwatch ticks
    internal readonly long MaxSpinTimeTicks; // MaxSpinTime (at least SpinTime) in Stopwatch ticks
    internal readonly int Cores = Environment.ProcessorCount;
    internal BackgroundQueue.QueueToken Token; // held by the one worker taking a burst from Background

    // Background FIFO: TaskHandle, ScopeJob or a raw IThreadPoolWorkItem.
    internal readonly ConcurrentQueue<object> Background = new();

    internal int ExternalHigh;  // 1 + highest external slot ever leased; only grows
    internal int Sleepers;      // workers with Parked == 1; see IdleWorkers.Sleep and IdleWorkers.WakeOne
    internal int Spinning;      // workers in IdleWorkers.Spin looking for work (a hint for external Joins)
    internal int LongSpinners;  // of those, the ones spinning past SpinTime (at most MaxLongSpinners)
    internal int ActiveExternals; // external threads running their own outermost Join (see WorkerLoop.TakesForeground)
    internal long HandOffs;     // test hook: outermost external Joins a worker ran for the caller (ExternalJoins.TryHandOff)
    private int _disposed;      // 1 once Dispose started
    private bool _isDefault;    // set once, by LazyDefault's factory

    /// <summary>Starts a pool with <paramref name="options"/> (defaults when null); throws naming a bad option.</summary>
    public WorkStealingPool(WorkStealingPoolOptions? options = null)
        : this(options, static () => new MonitorParker())
    {
    }

    internal WorkStealingPool(WorkStealingPoolOptions? options, Func<IParker> parkerFactory)
    {
        Options = options ?? new WorkStealingPoolOptions();
        Options.Validate();
        ParkerFactory = parkerFactory;
        SpinTimeTicks = (long)(Options.SpinTime.TotalSeconds * Stopwatch.Frequency);
        MaxSpinTimeTicks = Math.Max(SpinTimeTicks, (long)((Options.MaxSpinTime ?? Options.SpinTime).TotalSeconds * Stopwatch.Frequency));
        Gate = new ScaleGate(Options.Scale, Options.TimeProvider, Options.ScaleCachePeriod, Options.Threads, ReportUnhandled);
        Workers = new ThreadContext[Options.Threads];
        _threads = new Thread[Options.Threads];
        for (var i = 0; i < Workers.Length; i++)
        {
            Workers[i] = new ThreadContext(this, i, isWorker: true, parkerFactory());
        }

        try
        {
            for (var i = 0; i < _threads.Length; i++)
            {
                var context = Workers[i];
                ThreadStart entry = () => WorkerLoop.Run(this, context);
                var thread = Options.ThreadFactory?.Invoke(entry) ?? new Thread(entry);
                thread.Name ??= $"{Options.ThreadNamePrefix}-{i}";
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
    public int ThreadCount => Workers.Length;

    /// <summary>Workers currently parked (test and benchmark hook).</summary>
    internal int SleepingWorkers => Volatile.Read(ref Sleepers);

    /// <summary>Workers currently spinning for work (test hook).</summary>
    internal int SpinningWorkers => Volatile.Read(ref Spinning);

    /// <summary>How many workers may spin past SpinTime at once: one fewer than the cores (see IdleWorkers.Spin).</summary>
    internal int MaxLongSpinners => Cores - 1;

    /// <summary>External threads running their own outermost Join now, each in a worker's place (test hook).</summary>
    internal int ActiveExternalJoins => Volatile.Read(ref ActiveExternals);

    /// <summary>Outermost external Joins that ran on a worker while the caller blocked (test and benchmark hook).</summary>
    internal long HandedOffJoins => Interlocked.Read(ref HandOffs);

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Test hook: sets every worker's adaptive spin window, as if each had been woken soon after parking
    /// several times. Owners overwrite it as they adapt.
    /// </summary>
    internal void SetSpinWindows(TimeSpan window)
    {
        var ticks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        foreach (var worker in Workers)
        {
            Volatile.Write(ref worker.SpinTicks, ticks);
        }
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

        foreach (var worker in Workers)
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

        BackgroundQueue.CancelQueued(this);
    }

    internal void ReportUnhandled(Exception ex)
    {
        if (Options.OnUnhandledException is { } handler)
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
