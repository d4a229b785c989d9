using System.Runtime.CompilerServices;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// A pool of long-lived workers and the manager's side of it: messages of type <typeparamref name="TDown"/> go
/// down to the workers (unbounded, so <see cref="Stop"/> can always be sent) and messages of type
/// <typeparamref name="TUp"/> come up through a queue bounded by <see cref="UpDownOptions.Capacity"/>.
/// Create one with <see cref="UpDownPool.Create{TDown, TUp}"/> (actor workers) or
/// <see cref="UpDownPool.CreateThreaded{TDown, TUp}"/> (workers on dedicated threads).
/// </summary>
public abstract partial class UpDownPool<TDown, TUp> : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();        // guards _workers, _stopping, _disposed
    private readonly List<Exception> _failures = []; // every worker failure since the last stop; guarded by itself
    private int _workers;                        // workers of the current generation (indices 0.._workers-1)
    private int _next;                           // round-robin cursor of SendToNext; Interlocked
    private bool _stopping;
    private bool _disposed;

    private protected UpDownPool(UpDownOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Name = options.Name ?? $"updown-{Interlocked.Increment(ref _poolCount)}";
        Queue = new UpQueue<TUp>(options.Capacity);
    }

    private static int _poolCount;

    /// <summary>The pool's name.</summary>
    public string Name { get; }

    /// <summary>The options the pool was created with.</summary>
    public UpDownOptions Options { get; }

    /// <summary>How many up messages may wait for the manager.</summary>
    public int Capacity => Queue.Capacity;

    /// <summary>Up messages waiting for the manager right now; never more than <see cref="Capacity"/>.</summary>
    public int UpCount => Queue.Count;

    /// <summary>Workers added since the pool was created or last stopped (ended workers included).</summary>
    public int Workers => Volatile.Read(ref _workers);

    internal UpQueue<TUp> Queue { get; }

    /// <summary>Sends <paramref name="message"/> to every worker; never blocks.</summary>
    public void Broadcast(TDown message) => PostAll(message!);

    /// <summary>Sends <paramref name="message"/> to worker <paramref name="index"/>; never blocks.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not the index of a worker.</exception>
    public void SendTo(int index, TDown message) => Post(CheckIndex(index), message!);

    /// <summary>Sends <paramref name="message"/> to the next worker in round-robin order (0, 1, … then 0 again) and returns its index.</summary>
    /// <exception cref="InvalidOperationException">The pool has no workers.</exception>
    public int SendToNext(TDown message)
    {
        var workers = Workers;
        if (workers == 0)
        {
            throw new InvalidOperationException($"Pool '{Name}' has no workers to send to.");
        }

        var index = (int)((uint)(Interlocked.Increment(ref _next) - 1) % (uint)workers);
        Post(index, message!);
        return index;
    }

    /// <summary>Pauses every worker: each holds the down messages it receives until <see cref="Continue()"/>; Stop still ends it.</summary>
    public void Pause() => PostAll(DownControl.Pause);

    /// <summary>Pauses worker <paramref name="index"/>.</summary>
    public void Pause(int index) => Post(CheckIndex(index), DownControl.Pause);

    /// <summary>Lets every paused worker go on, first with the messages it held, in the order they arrived.</summary>
    public void Continue() => PostAll(DownControl.Continue);

    /// <summary>Lets worker <paramref name="index"/> go on.</summary>
    public void Continue(int index) => Post(CheckIndex(index), DownControl.Continue);

    /// <summary>
    /// Returns at once the up messages stamped at or before this call, in arrival order; the first message stamped
    /// later ends the burst and comes first next time. Workers cannot livelock a manager that calls it in a loop.
    /// </summary>
    public IReadOnlyList<UpMessage<TUp>> RecvBurst()
    {
        var burst = new List<UpMessage<TUp>>();
        RecvBurst(burst);
        return burst;
    }

    /// <summary>Like <see cref="RecvBurst()"/>, appending to <paramref name="into"/> (no allocation); returns how many were added.</summary>
    public int RecvBurst(ICollection<UpMessage<TUp>> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var cutoff = Options.TimeProvider.GetTimestamp();
        return Queue.Take(cutoff, int.MaxValue, into);
    }

    /// <summary>Takes the oldest up message if there is one; never blocks.</summary>
    public bool TryRecv(out UpMessage<TUp> message)
    {
        return Queue.TryTake(out message);
    }

    /// <summary>Waits, without holding a thread, for the oldest up message and takes it.</summary>
    public async ValueTask<UpMessage<TUp>> RecvAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryRecv(out var message))
            {
                return message;
            }

            await Queue.WhenReadable().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Blocks the calling thread until an up message arrives and takes it; for dedicated threads (a game loop), not actors.</summary>
    public UpMessage<TUp> Recv(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryRecv(out var message))
            {
                return message;
            }

            Queue.WaitReadable(cancellationToken);
        }
    }

    /// <summary>
    /// Stops the workers and waits for them (see <see cref="StopAndJoin"/>), then releases the pool's resources; never
    /// throws for worker failures. During a stop in progress it returns at once, as <see cref="DisposeAsync"/> says.
    /// </summary>
    public void Dispose()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Stops the workers, waits for them, and releases the pool's own resources; the up messages left are discarded.
    /// Called while a stop is in progress, it never throws or waits: it marks the pool disposed, repeats Stop to the
    /// workers and returns; that stop releases the pool's resources when it completes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_stopping)
            {
                // A stop is running (perhaps hung in a caller that gave up on it): it owns the join, and waiting for it
                // or throwing "already stopping" here would hide the caller's own failure (a `using` after a watchdog
                // timeout). Mark the pool disposed, repeat Stop to the workers, and leave the rest to that stop.
                _disposed = true;
                PostAll(DownControl.Stop);
                return;
            }
        }

        await StopAndJoinAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _disposed = true;
        }

        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private bool DisposedDuringStop()
    {
        lock (_gate)
        {
            return _disposed;
        }
    }

    /// <summary>Delivers <paramref name="message"/> (a <typeparamref name="TDown"/> or a control message) to worker <paramref name="index"/>.</summary>
    private protected abstract void Post(int index, object message);

    /// <summary>Delivers <paramref name="message"/> to every worker of the current generation.</summary>
    private protected abstract void PostAll(object message);

    /// <summary>Releases what the implementation owns once the workers have ended.</summary>
    private protected virtual ValueTask DisposeCoreAsync() => default;

    /// <summary>
    /// Reserves the next worker index and runs <paramref name="register"/> with it under the pool's gate, so a stop
    /// that begins later is sure to reach the new worker. The caller must make the worker call
    /// <c>UpQueue.WorkerEnded</c> when it ends. Lock order: the gate, then any lock of the implementation.
    /// </summary>
    private protected int ReserveWorker(Action<int> register)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_stopping)
            {
                throw new InvalidOperationException($"Pool '{Name}' is stopping; add workers after the stop returns.");
            }

            var index = _workers;
            register(index);
            Queue.WorkerStarted();
            _workers = index + 1;
            return index;
        }
    }

    /// <summary>Records a worker failure, reported at stop.</summary>
    private protected void RecordFailure(Exception failure)
    {
        lock (_failures)
        {
            _failures.Add(failure);
        }
    }

    private int CheckIndex(int index, [CallerArgumentExpression(nameof(index))] string? name = null)
    {
        var workers = Workers;
        if ((uint)index >= (uint)workers)
        {
            throw new ArgumentOutOfRangeException(name, index, $"Worker index must be in [0, {workers}), was {index}.");
        }

        return index;
    }
}
