using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Actorpool;

/// <summary>
/// The jobs spawned inside one <see cref="WorkStealingPool.Scope"/> call. The call returns only when all of
/// them have finished, even when the body or a job throws; then it rethrows.
/// </summary>
public sealed class TaskScope
{
    private static readonly TimeSpan HelpPoll = TimeSpan.FromMilliseconds(1);

    private readonly WorkStealingPool _pool;
    private readonly ConcurrentQueue<ScopeJob> _local = new();   // every job, so the owner can run them itself
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly List<IScopeState> _states = [];             // guarded by itself
    private readonly object _gate = new();                        // pulsed when _pending reaches 0
    private int _pending;  // spawned and not finished
    private int _queued;   // spawned and not started
    private int _closed;   // 1 once every job finished and the scope ended

    internal TaskScope(WorkStealingPool pool, int? backlog)
    {
        _pool = pool;
        Backlog = backlog;
    }

    /// <summary>The most jobs of this scope that may be queued (not started) at once; null means no limit.</summary>
    public int? Backlog { get; }

    /// <summary>
    /// Queues <paramref name="job"/> as background work of this scope. While the scope's backlog is full the
    /// caller blocks and helps by running the scope's own queued jobs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The scope has already ended.</exception>
    public void Spawn(Action job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Add(new PlainScopeJob(this, job));
    }

    /// <summary>
    /// A view of this scope whose jobs get a per-thread state: built by <paramref name="init"/> once per thread
    /// that runs one of its jobs, passed by reference to every job on that thread, and disposed (if
    /// <see cref="IDisposable"/>) when the scope ends.
    /// </summary>
    public TaskScope<TState> WithState<TState>(Func<TState> init)
    {
        ArgumentNullException.ThrowIfNull(init);
        var view = new TaskScope<TState>(this, init);
        lock (_states)
        {
            _states.Add(view);
        }

        return view;
    }

    internal void Add(ScopeJob job)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            throw new InvalidOperationException("The scope has ended; spawn only from its body or its jobs.");
        }

        if (Backlog is { } max)
        {
            while (Volatile.Read(ref _queued) >= max)
            {
                if (!HelpOne())
                {
                    Thread.Yield();
                }
            }
        }

        Interlocked.Increment(ref _pending);
        Interlocked.Increment(ref _queued);
        _local.Enqueue(job);
        Scopes.Enqueue(_pool, job);
    }

    /// <summary>Runs a claimed job: counts, catches, and wakes the owner when the last one finishes.</summary>
    internal void Run(ScopeJob job)
    {
        Interlocked.Decrement(ref _queued);
        try
        {
            job.RunBody();
        }
        catch (Exception ex)
        {
            _errors.Enqueue(ex);
        }

        if (Interlocked.Decrement(ref _pending) == 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits for every job (helping), closes per-thread states, then rethrows all failures.</summary>
    internal void Close(Exception? bodyError)
    {
        while (Volatile.Read(ref _pending) != 0)
        {
            if (HelpOne())
            {
                continue;
            }

            lock (_gate)
            {
                if (Volatile.Read(ref _pending) != 0)
                {
                    Monitor.Wait(_gate, HelpPoll); // jobs may spawn more; poll so the owner helps with those too
                }
            }
        }

        Volatile.Write(ref _closed, 1);
        var errors = new List<Exception>();
        if (bodyError is not null)
        {
            errors.Add(bodyError);
        }

        errors.AddRange(_errors);
        lock (_states)
        {
            foreach (var state in _states)
            {
                state.Close(errors);
            }
        }

        if (errors.Count == 1)
        {
            ExceptionDispatchInfo.Throw(errors[0]);
        }

        if (errors.Count > 1)
        {
            throw new AggregateException(errors);
        }
    }

    private bool HelpOne()
    {
        while (_local.TryDequeue(out var job))
        {
            if (job.TryRun())
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A closable per-thread state set of a scope.</summary>
internal interface IScopeState
{
    void Close(List<Exception> errors);
}
