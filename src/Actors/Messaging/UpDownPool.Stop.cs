using System.Runtime.CompilerServices;

namespace Actorpool.Actors.Messaging;

public abstract partial class UpDownPool<TDown, TUp>
{
    /// <summary>
    /// Sends Stop to every worker, then yields the up messages that remain, in arrival order, until every worker
    /// has ended; draining releases workers blocked on a full up-queue, so it never deadlocks. Blocks the calling
    /// thread between messages. After the last message it throws an <see cref="AggregateException"/> holding every
    /// worker failure since the last stop, if there was any; the pool then takes new workers, numbered from 0.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another stop is in progress.</exception>
    public IEnumerable<UpMessage<TUp>> Stop() => StopAsync().ToBlockingEnumerable();

    /// <summary>Like <see cref="Stop"/>, waiting without holding a thread.</summary>
    /// <exception cref="InvalidOperationException">Another stop is in progress.</exception>
    public async IAsyncEnumerable<UpMessage<TUp>> StopAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BeginStop();
        var buffer = new List<UpMessage<TUp>>();
        IReadOnlyList<Exception> failures = [];
        var completed = false;
        try
        {
            while (true)
            {
                var finished = Queue.DrainStep(buffer, out var wait);
                foreach (var message in buffer)
                {
                    yield return message;
                }

                buffer.Clear();
                if (finished)
                {
                    completed = true;
                    break;
                }

                if (wait is not null)
                {
                    await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            failures = EndStop(completed);
        }

        ThrowIfAny(failures);
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

        return new UpDownStopReport<TUp>(messages, failures);
    }

    private static void ThrowIfAny(IReadOnlyList<Exception> failures)
    {
        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} up/down worker failure(s).", failures);
        }
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
