using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// An up/down pool whose workers are closures on dedicated threads (the worker-pool crate's <c>execute</c>):
/// each gets a <see cref="ThreadWorker{TDown, TUp}"/> whose <c>Send</c> blocks while the up-queue is full.
/// A closure that throws is judged by <see cref="UpDownOptions.Panic"/>: Respawn and Resume run it again with the
/// same down-queue (within the restart budget), Kill stops every worker; every failure is reported at stop.
/// </summary>
public sealed class ThreadUpDownPool<TDown, TUp> : UpDownPool<TDown, TUp>
{
    private readonly List<DownQueue> _downs = [];   // down-queues of the current generation by index; guarded by itself (a leaf lock)
    private readonly Panic _panic;                   // guarded by itself

    internal ThreadUpDownPool(UpDownOptions options)
        : base(options) => _panic = new Panic(options.Panic, options.TimeProvider);

    /// <summary>
    /// Starts <paramref name="body"/> on a new dedicated background thread as the next worker and returns its index.
    /// The worker ends when the closure returns (typically after its receive loop sees Stop).
    /// </summary>
    /// <exception cref="InvalidOperationException">A stop is in progress.</exception>
    public int Execute(Action<ThreadWorker<TDown, TUp>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var down = new DownQueue();
        var index = ReserveWorker(_ =>
        {
            // Under the pool's gate, which serialises reservations, so list positions and indices agree.
            lock (_downs)
            {
                _downs.Add(down);
            }
        });

        var worker = new ThreadWorker<TDown, TUp>(index, down, Queue, Options.TimeProvider);
        var thread = new Thread(() => RunWorker(worker, body))
        {
            IsBackground = true,
            Name = $"{Name}-worker-{index}",
        };
        thread.Start();
        return index;
    }

    private protected override void Post(int index, object message)
    {
        DownQueue down;
        lock (_downs)
        {
            down = _downs[index];
        }

        down.Add(message);
    }

    private protected override void PostAll(object message)
    {
        lock (_downs)
        {
            foreach (var down in _downs)
            {
                down.Add(message);
            }
        }
    }

    private protected override void OnGenerationEnded()
    {
        lock (_downs)
        {
            _downs.Clear();
        }
    }

    private void RunWorker(ThreadWorker<TDown, TUp> worker, Action<ThreadWorker<TDown, TUp>> body)
    {
        var delay = new RestartDelay(Options.TimeProvider);
        try
        {
            while (true)
            {
                try
                {
                    worker.Received = 0;
                    body(worker);
                    return;
                }
#pragma warning disable CA1031 // A worker's failure is recorded and judged by the panic policy, never rethrown on its thread.
                catch (Exception failure)
#pragma warning restore CA1031
                {
                    RecordFailure(failure);

                    // Respawn and Resume both run the closure again; one that failed before taking any message is a
                    // crash loop, which backs off even without a configured backoff (see Panic).
                    if (worker.Received > 0)
                    {
                        delay.Succeeded();
                    }

                    PanicVerdict verdict;
                    lock (_panic)
                    {
                        verdict = _panic.Judge(failure, noProgress: worker.Received == 0, delay.NextAttempt());
                    }

                    if (verdict.Kind == PanicKind.Kill)
                    {
                        PostAll(DownControl.Stop);
                        return;
                    }

                    if (worker.IsStopped)
                    {
                        return;
                    }

                    if (verdict.Backoff > TimeSpan.Zero)
                    {
                        worker.WaitOut(verdict.Backoff);
                        if (worker.IsStopped)
                        {
                            return;
                        }
                    }
                }
            }
        }
        finally
        {
            Queue.WorkerEnded();
        }
    }
}
