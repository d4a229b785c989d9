using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>A job submitted through the Task facade: its outcome completes a task (continuations run asynchronously).</summary>
internal sealed class TaskJob<TState, TResult> : JobEnvelope
{
    private const string CallerReason = "cancelled by the caller";

    private readonly Func<TState, TResult> _work;
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Set once by the submitting thread before the job is sent; unregistered by whoever settles the job.
    private CancellationTokenRegistration _registration;

    public TaskJob(long id, Func<TState, TResult> work, PoolCounters counters)
        : base(id, counters)
    {
        _work = work;
    }

    public Task<TResult> Task => _completion.Task;

    public void RegisterCancellation(CancellationToken cancellationToken, IActorRef pool)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (o, token) =>
                {
                    var (job, pool) = ((TaskJob<TState, TResult>, IActorRef))o!;
                    job.CancelByCaller(token, pool);
                },
                (this, pool));
        }
    }

    internal override void Execute(object? state, Func<object?, object, object?>? handle, IActorRef pool)
    {
        var result = _work((TState)state!);
        if (TryComplete())
        {
            _registration.Unregister();
            _completion.TrySetResult(result);
        }
    }

    private protected override void OnFailed(Exception cause, IActorRef pool)
    {
        _registration.Unregister();
        _completion.TrySetException(cause);
    }

    private protected override void OnRejected(string reason, IActorRef pool)
    {
        _registration.Unregister();
        _completion.TrySetException(new JobRejectedException(reason));
    }

    private protected override void OnCancelled(string reason, Exception? cause, IActorRef pool)
    {
        _registration.Unregister();
        if (ReferenceEquals(reason, CallerReason) && cause is OperationCanceledException byCaller)
        {
            // The caller asked: the task is cancelled (not faulted) with the caller's token.
            _completion.TrySetCanceled(byCaller.CancellationToken);
        }
        else
        {
            _completion.TrySetException(new JobCancelledException(reason, cause));
        }
    }

    private void CancelByCaller(CancellationToken token, IActorRef pool)
    {
        TryCancel(CallerReason, new OperationCanceledException(token), pool, evenIfRunning: false);
    }
}
