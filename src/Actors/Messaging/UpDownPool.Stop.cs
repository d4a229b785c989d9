namespace Actorpool.Actors.Messaging;

public abstract partial class UpDownPool<TDown, TUp>
{
    /// <summary>
    /// Stops the pool now: sends Stop to every worker, waits until all have ended (draining releases workers blocked
    /// on a full up-queue, so it never deadlocks) and returns every up message that remained, in arrival order. The
    /// stop is complete when it returns; the pool then takes new workers, numbered from 0. Blocks the calling thread.
    /// </summary>
    /// <exception cref="UpDownStopException{TUp}">A worker failed since the last stop; the exception carries the messages too.</exception>
    /// <exception cref="InvalidOperationException">Another stop is in progress.</exception>
    public IReadOnlyList<UpMessage<TUp>> Stop() => StopAsync().GetAwaiter().GetResult();

    /// <summary>Like <see cref="Stop"/>, waiting without holding a thread.</summary>
    /// <exception cref="UpDownStopException{TUp}">A worker failed since the last stop; the exception carries the messages too.</exception>
    /// <exception cref="InvalidOperationException">Another stop is in progress.</exception>
    public async Task<IReadOnlyList<UpMessage<TUp>>> StopAsync(CancellationToken cancellationToken = default)
    {
        var report = await StopAndJoinAsync(cancellationToken).ConfigureAwait(false);
        report.ThrowIfFailed();
        return report.Messages;
    }

    /// <summary>
    /// Sends Stop to every worker, collects every up message that remains until all workers have ended (releasing
    /// blocked senders as it drains), and returns them with every worker failure since the last stop. Blocks the
    /// calling thread; never deadlocks; never throws for worker failures (see <see cref="UpDownStopReport{TUp}.ThrowIfFailed"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another stop is in progress.</exception>
    public UpDownStopReport<TUp> StopAndJoin() => StopAndJoinAsync().GetAwaiter().GetResult();

    /// <summary>Like <see cref="StopAndJoin"/>, waiting without holding a thread.</summary>
    /// <exception cref="InvalidOperationException">Another stop is in progress.</exception>
    public async Task<UpDownStopReport<TUp>> StopAndJoinAsync(CancellationToken cancellationToken = default)
    {
        BeginStop();
        var messages = new List<UpMessage<TUp>>();
        IReadOnlyList<Exception> failures = [];
        var completed = false;
        try
        {
            while (!Queue.DrainStep(messages, out var wait))
            {
                if (wait is not null)
                {
                    await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            completed = true;
        }
        finally
        {
            failures = EndStop(completed);
        }

        // Disposed while this stop ran (see DisposeAsync): the pool's own resources are released now that it ended.
        if (completed && DisposedDuringStop())
        {
            await DisposeCoreAsync().ConfigureAwait(false);
        }

        return new UpDownStopReport<TUp>(messages, failures);
    }

    private void BeginStop()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                throw new InvalidOperationException($"Pool '{Name}' is already stopping.");
            }

            _stopping = true;

            // Under the gate: every worker reserved before this point has been registered, so it gets Stop.
            PostAll(DownControl.Stop);
        }
    }

    /// <summary>
    /// Ends a stop. A completed one hands back the failures and lets a new generation of workers start at index 0;
    /// a cancelled or abandoned one only lets another stop begin (the workers may still be running).
    /// </summary>
    private IReadOnlyList<Exception> EndStop(bool completed)
    {
        if (!completed)
        {
            lock (_gate)
            {
                _stopping = false;
            }

            return [];
        }

        Exception[] failures;
        lock (_failures)
        {
            failures = [.. _failures];
            _failures.Clear();
        }

        // Still stopping, so no worker can be added meanwhile; called outside the gate because implementations take
        // their own locks, which they hold while reserving a worker (lock order: implementation's lock, then the gate).
        OnGenerationEnded();
        lock (_gate)
        {
            _workers = 0;
            _next = 0;
            _stopping = false;
        }

        return failures;
    }

    /// <summary>Called when a stop completes, while no worker can be added yet; not under the pool's gate.</summary>
    private protected virtual void OnGenerationEnded()
    {
    }
}
