using System.Collections.Concurrent;
using System.Diagnostics;

namespace Actorpool.Dynamic;

/// <summary>
/// One run of a dynamic pool: the shared state every worker thread reads. There is no manager thread; workers
/// ask the scale themselves, start the threads above them and retire highest index first.
/// </summary>
internal sealed partial class DynamicRun<TData>
{
    private readonly DynamicPoolOptions _options;

    // Guards _epoch/_waiters and is the monitor idle workers wait on.
    private readonly object _gate = new();
    private readonly ConcurrentQueue<Exception> _panics = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Wakes idle workers every PollInterval; created by Start, disposed by the last thread to end.
    private ITimer? _ticker;

    // Written by SwapSystem; every worker compares it with the system its data came from at each scale check.
    private volatile IDynamicSystem<TData> _system;

    // Claimed worker slots: indices 0.._claimed-1 are alive. Spawners CAS it up, the highest worker CASes it down
    // to retire (so ends are LIFO); on stop every thread decrements it once.
    private int _claimed;

    // Threads that have not finished yet (their data is not closed); the one that takes it to 0 completes the run.
    private int _running;

    // Workers whose last scale check put them in scale (calling Work); changed only on a transition.
    private int _active;

    // Bumped under _gate by every signal; a worker reads it before deciding to wait so no wake-up is lost.
    private int _epoch;

    // Workers inside Monitor.Wait, under _gate.
    private int _waiters;

    // Latched by the first Shutdown answer or a panic: no more spawns, every worker ends at its next check.
    private volatile bool _stopping;

    // Latched by the first exception; workers stop even between Incomplete calls.
    private volatile bool _panicked;

    // Latched by RequestShutdown; read instead of the scale function at the next scale check.
    private volatile bool _shutdownRequested;

    internal DynamicRun(IDynamicSystem<TData> system, DynamicPoolOptions options)
    {
        _system = system;
        _options = options;
    }

    internal int ActiveCount => Volatile.Read(ref _active);

    internal int AliveCount => Volatile.Read(ref _claimed);

    internal Task Completion => _completion.Task;

    /// <summary>Claims worker 0 and starts the poll timer; the caller then runs worker 0 itself or on a thread.</summary>
    internal void Start(bool workerZeroOnNewThread)
    {
        _claimed = 1;
        _running = 1;
        var poll = _options.PollInterval;
        _ticker = _options.TimeProvider.CreateTimer(static s => ((DynamicRun<TData>)s!).Signal(), this, poll, poll);
        if (workerZeroOnNewThread)
        {
            try
            {
                StartThread(0);
            }
            catch
            {
                _ticker.Dispose();
                throw;
            }
        }
    }

    internal void RequestShutdown()
    {
        _shutdownRequested = true;
        Signal();
    }

    internal void SwapSystem(IDynamicSystem<TData> system)
    {
        _system = system;
        Signal();
    }

    /// <summary>Wakes every idle worker so it asks the scale again.</summary>
    private void Signal()
    {
        lock (_gate)
        {
            _epoch++;
            if (_waiters > 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Sleeps until a signal newer than <paramref name="seenEpoch"/> (a poll tick counts as one).</summary>
    private void Wait(int seenEpoch)
    {
        lock (_gate)
        {
            if (_epoch != seenEpoch)
            {
                return;
            }

            _waiters++;
            try
            {
                Monitor.Wait(_gate);
            }
            finally
            {
                _waiters--;
            }
        }
    }

    private void Panic(Exception exception)
    {
        _panics.Enqueue(exception);
        _panicked = true;
        _stopping = true;
        Signal();
    }

    /// <summary>Starts threads until <paramref name="target"/> slots are alive, lowest index first.</summary>
    private void Spawn(int target)
    {
        while (true)
        {
            var slots = Volatile.Read(ref _claimed);
            if (slots >= target || _stopping)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _claimed, slots + 1, slots) != slots)
            {
                continue;
            }

            // The spawner is itself a running worker, so _running cannot reach 0 before this increment.
            Interlocked.Increment(ref _running);
            try
            {
                StartThread(slots);
            }
            catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException)
            {
                Interlocked.Decrement(ref _claimed);
                Interlocked.Decrement(ref _running);
                Panic(ex);
                return;
            }
        }
    }

    private void StartThread(int index)
    {
        var thread = new Thread(static s =>
        {
            var (run, i) = ((DynamicRun<TData>, int))s!;
            run.RunWorker(i);
        })
        {
            IsBackground = true,
            Name = $"{_options.ThreadNamePrefix}-{index}",
        };
        thread.Start((this, index));
    }

    private void ThreadEnded()
    {
        if (Interlocked.Decrement(ref _running) != 0)
        {
            return;
        }

        Debug.Assert(Volatile.Read(ref _claimed) == 0, "every slot is released before the last thread ends");
        _ticker?.Dispose();
        if (_panics.IsEmpty)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(new PoolPanicException(_panics.ToArray()));
        }
    }
}
