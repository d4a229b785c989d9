using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>
/// A job sent to a pool by message (<c>pool.Ref.Tell(Submit.Run(...), Self)</c>): either a job message handled by
/// the pool's <c>Handle</c> function or a closure over the worker's state. The sender gets exactly one outcome:
/// <see cref="JobCompleted"/>, <see cref="JobFailed"/>, <see cref="JobRejected"/> or <see cref="JobCancelled"/>.
/// An instance may be sent again (each send is a job of its own); the first pool to accept it uses the instance
/// itself as the job's envelope, so a submission allocates nothing more.
/// </summary>
public sealed class Submit : JobEnvelope
{
    // Written by the claiming supervisor before it hands the job on (a Tell publishes it), read by whoever settles.
    private IActorRef? _replyTo;

    private Submit(long jobId, object? message, Delegate? work, Func<Delegate, object?, object?>? invoke, Func<Delegate, object?, CancellationToken, ValueTask<object?>>? invokeAsync = null)
        : base(jobId, null)
    {
        _payload = (object?)work ?? message;
        _invoke = invoke;
        _invokeAsync = invokeAsync;
    }

    // The job message, or the caller's closure as given (then _invoke, the shared non-capturing adapter that runs
    // it on an untyped state, is set): one field for both keeps the envelope small, and a submit allocates no
    // wrapper closure.
    private readonly object? _payload;
    private readonly Func<Delegate, object?, object?>? _invoke;
    private readonly Func<Delegate, object?, CancellationToken, ValueTask<object?>>? _invokeAsync; // an async closure's adapter

    /// <summary>The caller's id for this job; every outcome carries it.</summary>
    public long JobId => Id;

    /// <summary>The job message handed to the pool's <c>Handle</c> function, or <c>null</c> for a closure job.</summary>
    public object? JobMessage => _invoke is null && _invokeAsync is null ? _payload : null;

    /// <summary>
    /// This message as a job of the pool with <paramref name="counters"/>, counted submitted there: the message itself
    /// when this pool is the first to claim it, else a wrapper (the same message sent to a second pool is a second job).
    /// </summary>
    internal JobEnvelope ClaimFor(IActorRef? replyTo, PoolCounters counters) =>
        TryClaim(replyTo, counters) ? this : new MessageJob(this, replyTo, counters);

    /// <summary>
    /// Makes this instance the envelope of the job it is being submitted as, the first time only; false when it
    /// was claimed before (the supervisor then wraps it in a <see cref="MessageJob"/>).
    /// </summary>
    internal bool TryClaim(IActorRef? replyTo, PoolCounters counters)
    {
        // The first pool to bind its counters owns the instance; later sends are wrapped.
        if (!TryBind(counters))
        {
            return false;
        }

        _replyTo = replyTo;
        return true;
    }

    /// <summary>
    /// Starts the job's code on a worker's state (the closure, or the pool's <c>Handle</c>/<c>HandleAsync</c> on the job
    /// message): its result when it ended here, or its running task. Throws what synchronous code throws.
    /// </summary>
    internal ValueTask<object?> Start(object? state, JobHandlers handlers) =>
        _invoke is not null ? new ValueTask<object?>(_invoke((Delegate)_payload!, state))
        : _invokeAsync is not null ? _invokeAsync((Delegate)_payload!, state, handlers.CutOff)
        : handlers.Run(state, _payload!);

    internal override Task? Execute(object? state, JobHandlers handlers, IActorRef pool) =>
        CompleteWith(Start(state, handlers), _replyTo, pool);

    internal override bool IsAsync(JobHandlers handlers) =>
        _invokeAsync is not null || (_invoke is null && handlers.Handle is null && handlers.HandleAsync is not null);

    private protected override void OnFailed(Exception cause, IActorRef pool) => _replyTo?.Tell(new JobFailed(JobId, cause), pool);

    private protected override void OnRejected(string reason, IActorRef pool) => _replyTo?.Tell(new JobRejected(JobId, reason), pool);

    private protected override void OnCancelled(string reason, Exception? cause, IActorRef pool) => _replyTo?.Tell(new JobCancelled(JobId, reason), pool);

    /// <summary>A job message that the pool's <c>Handle</c> function handles on a worker.</summary>
    public static Submit Message(long jobId, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Submit(jobId, message, null, null);
    }

    /// <summary>A closure run on a worker with that worker's state; its return value is the completed result.</summary>
    public static Submit Run<TState>(long jobId, Func<TState, object?> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Submit(jobId, null, work, Adapter<TState>.Invoke);
    }

    /// <summary>A closure with a typed result run on a worker with that worker's state; <see cref="JobCompleted"/> carries the result.</summary>
    public static Submit Run<TState, TResult>(long jobId, Func<TState, TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Submit(jobId, null, work, Adapter<TState, TResult>.Invoke);
    }

    /// <summary>A closure without a result run on a worker with that worker's state; <see cref="JobCompleted"/> carries <c>null</c>.</summary>
    public static Submit Run<TState>(long jobId, Action<TState> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Submit(jobId, null, work, Adapter<TState>.InvokeAction);
    }

    /// <summary>
    /// Asynchronous code run on a worker with that worker's state, which stays the job's until the task completes;
    /// its token fires when a kill or a stop deadline cuts the job off. <see cref="JobCompleted"/> carries the result.
    /// </summary>
    public static Submit RunAsync<TState, TResult>(long jobId, Func<TState, CancellationToken, ValueTask<TResult>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Submit(jobId, null, work, null, Adapter<TState, TResult>.InvokeAsync);
    }

    /// <summary>Asynchronous code without a result; see <see cref="RunAsync{TState, TResult}"/>. <see cref="JobCompleted"/> carries <c>null</c>.</summary>
    public static Submit RunAsync<TState>(long jobId, Func<TState, CancellationToken, ValueTask> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new Submit(jobId, null, work, null, Adapter<TState>.InvokeAsync);
    }

    private static class Adapter<TState>
    {
        public static readonly Func<Delegate, object?, object?> Invoke = static (work, state) => ((Func<TState, object?>)work)((TState)state!);

        public static readonly Func<Delegate, object?, object?> InvokeAction = static (work, state) =>
        {
            ((Action<TState>)work)((TState)state!);
            return null;
        };

        public static readonly Func<Delegate, object?, CancellationToken, ValueTask<object?>> InvokeAsync = static (work, state, token) =>
        {
            var running = ((Func<TState, CancellationToken, ValueTask>)work)((TState)state!, token);
            return running.IsCompletedSuccessfully ? new ValueTask<object?>((object?)null) : Await(running);

            static async ValueTask<object?> Await(ValueTask running)
            {
                await running.ConfigureAwait(false);
                return null;
            }
        };
    }

    private static class Adapter<TState, TResult>
    {
        public static readonly Func<Delegate, object?, object?> Invoke = static (work, state) => ((Func<TState, TResult>)work)((TState)state!);

        public static readonly Func<Delegate, object?, CancellationToken, ValueTask<object?>> InvokeAsync = static (work, state, token) =>
        {
            var running = ((Func<TState, CancellationToken, ValueTask<TResult>>)work)((TState)state!, token);
            return running.IsCompletedSuccessfully ? new ValueTask<object?>(running.Result) : Await(running);

            static async ValueTask<object?> Await(ValueTask<TResult> running) => await running.ConfigureAwait(false);
        };
    }
}
