using System.Threading.Tasks.Sources;
using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>
/// A job submitted through the Task facade: its outcome completes its caller's task (continuations run
/// asynchronously). It ends cancelled when its caller's token fires before it starts (or, for a job whose code takes
/// a token, while it runs), when its timeout elapses (the exception says so), or when the pool cuts it off; a job whose
/// code takes a token sees that token fire in each case. The outcome is settled once, whoever comes first.
/// Where the outcome goes is a subclass's: a task (<see cref="TaskCompletionJob{TResult}"/>) or the job itself as a value
/// task's source (<see cref="ValueCompletionJob{TResult}"/>); what the job runs is the subclass below that.
/// </summary>
internal abstract class TaskJob<TResult> : JobEnvelope
{
    private const string CallerReason = "cancelled by the caller";

    private readonly JobLimits _limits;

    // Set once by the submitting thread before the job is sent; unregistered by whoever settles the job.
    private CancellationTokenRegistration _registration;

    // Made only for a job that can be cancelled or timed out (most jobs need none of it): see Cancellation.
    private Cancellation? _cancellation;

    private protected TaskJob(long id, PoolCounters counters, JobLimits limits, TimeSpan? timeout)
        : base(id, counters)
    {
        _limits = limits;
        if ((timeout ?? limits.Timeout) is { } limit)
        {
            _cancellation = new Cancellation { Timeout = limit };
        }
    }

    /// <summary>The outcome as its caller awaits it (once).</summary>
    public abstract ValueTask<TResult> Outcome { get; }

    /// <summary>Whether the job's code takes a cancellation token (a caller's cancellation then reaches it while it runs).</summary>
    private protected abstract bool TakesToken { get; }

    /// <summary>Whether the job's code gets a token of its own even with no caller's token and no timeout (a job cancelled through itself).</summary>
    private protected virtual bool OwnToken => false;

    /// <summary>The token the job's code gets: its own, or the pool's cut-off.</summary>
    private protected CancellationToken Token => _cancellation?.Token?.Token ?? _limits.CutOff;

    /// <summary>Arms the job's cancellation by <paramref name="cancellationToken"/> and its timeout; called once, before the job is sent.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken, IActorRef pool)
    {
        if (!cancellationToken.CanBeCanceled && _cancellation is null && !OwnToken)
        {
            return;
        }

        var cancellation = _cancellation ??= new Cancellation();
        cancellation.Caller = cancellationToken;
        cancellation.Pool = pool;
        cancellation.Token = TakesToken ? new CancellationTokenSource() : null;

        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (o, token) =>
                {
                    var (job, pool) = ((TaskJob<TResult>, IActorRef))o!;
                    job.TryCancel(CallerReason, new OperationCanceledException(token), pool, evenIfRunning: job.TakesToken);
                },
                (this, pool));
        }
    }

    /// <summary>The caller's token fired before the job was sent (while it waited for backlog space).</summary>
    public void CancelByCaller(CancellationToken token, IActorRef pool) =>
        TryCancel(CallerReason, new OperationCanceledException(token), pool, evenIfRunning: false);

    internal override bool TryEndCancelled(Exception failure, IActorRef pool)
    {
        if (failure is not OperationCanceledException || !Token.IsCancellationRequested)
        {
            return false;
        }

        // Usually settled already by whatever fired the token; if not (the job's code ran ahead of the callback), here.
        if (_cancellation is { Caller: { IsCancellationRequested: true } caller })
        {
            TryCancel(CallerReason, new OperationCanceledException(caller), pool, evenIfRunning: true);
        }
        else
        {
            TryCancel("the job observed its cancellation token", null, pool, evenIfRunning: true);
        }

        return true;
    }

    /// <summary>The job's code starts (worker thread): the timeout starts counting.</summary>
    private protected void Begin()
    {
        if (_cancellation is { Timeout: { } timeout } cancellation)
        {
            cancellation.Timer = _limits.Time.CreateTimer(static s => ((TaskJob<TResult>)s!).TimedOut(), this, timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The job's code has returned or thrown: the timeout stops.</summary>
    private protected void End() => _cancellation?.Timer?.Dispose();

    private protected void Complete(TResult result)
    {
        if (TryComplete())
        {
            _registration.Unregister();
            SetResult(result);
        }
    }

    private protected override void OnFailed(Exception cause, IActorRef pool)
    {
        _registration.Unregister();
        SetException(cause);
    }

    private protected override void OnRejected(string reason, IActorRef pool)
    {
        _registration.Unregister();
        SetException(new JobRejectedException(reason));
    }

    private protected override void OnCancelled(string reason, Exception? cause, IActorRef pool)
    {
        _registration.Unregister();
        if (ReferenceEquals(reason, CallerReason) && cause is OperationCanceledException byCaller)
        {
            // The caller asked: the task is cancelled (not faulted) with the caller's token.
            SetCanceled(byCaller.CancellationToken);
        }
        else
        {
            SetException(new JobCancelledException(reason, cause));
        }

        try
        {
            _cancellation?.Token?.Cancel(); // a running job's code sees it; the outcome above is already the caller's
        }
        catch (AggregateException)
        {
            // A callback the job's own code registered on its token threw: that failure belongs to the job's code,
            // whose outcome is settled already; it must not reach whoever cancelled (a caller, a timer, the pool).
        }
    }

    // The outcome's three ends; each job calls exactly one of them, once (its state settles once).
    private protected abstract void SetResult(TResult result);

    private protected abstract void SetException(Exception error);

    private protected abstract void SetCanceled(CancellationToken token);

    /// <summary>Runs synchronous <paramref name="work"/> on <paramref name="state"/> and completes the job with its result.</summary>
    private protected void RunSync<TState>(Func<TState, TResult> work, object? state)
    {
        Begin();
        TResult result;
        try
        {
            result = work((TState)state!);
        }
        finally
        {
            End();
        }

        Complete(result);
    }

    /// <summary>
    /// Completes the job once <paramref name="running"/> (the job's code, started by the caller inside its own
    /// <see cref="Begin"/>) has its result: null when it ended here, else the task that ends with it.
    /// </summary>
    private protected Task? Finish(ValueTask<TResult> running)
    {
        if (!running.IsCompleted)
        {
            JobStepContext.RunHeldStep(); // a job that only yielded may end here
        }

        if (!running.IsCompleted)
        {
            return FinishAsync(running);
        }

        TResult result;
        try
        {
            result = running.Result; // throws what the job threw (not wrapped)
        }
        finally
        {
            End();
        }

        Complete(result);
        return null;
    }

    private async Task FinishAsync(ValueTask<TResult> running)
    {
        TResult result;
        try
        {
            result = await running.ConfigureAwait(false);
        }
        finally
        {
            End();
        }

        Complete(result);
    }

    private void TimedOut()
    {
        var cancellation = _cancellation!;
        var timeout = cancellation.Timeout!.Value;
        TryCancel($"Job {Id} timed out after {timeout}.", new TimeoutException($"Job {Id} ran longer than its timeout of {timeout}."), cancellation.Pool!, evenIfRunning: true);
    }

    /// <summary>
    /// A job's means of cancellation, made only for a job with a timeout or a caller's token that can fire, and filled
    /// before it is sent (so every field is published by the send).
    /// </summary>
    private sealed class Cancellation
    {
        /// <summary>How long the job's code may run (the call's, else the pool's); null = no limit.</summary>
        public TimeSpan? Timeout { get; init; }

        public CancellationToken Caller { get; set; }

        public IActorRef? Pool { get; set; }

        /// <summary>The job's own token (a job whose code takes one), cancelled by whoever cancels the job.</summary>
        public CancellationTokenSource? Token { get; set; }

        /// <summary>The timeout's timer, from the start of the job's code to its end (worker only).</summary>
        public ITimer? Timer { get; set; }
    }
}

/// <summary>A job whose caller awaits a task: a completion source's (two allocations beside the job).</summary>
internal abstract class TaskCompletionJob<TResult>(long id, PoolCounters counters, JobLimits limits, TimeSpan? timeout)
    : TaskJob<TResult>(id, counters, limits, timeout)
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => _completion.Task;

    public override ValueTask<TResult> Outcome => new(_completion.Task);

    private protected override void SetResult(TResult result) => _completion.TrySetResult(result);

    private protected override void SetException(Exception error) => _completion.TrySetException(error);

    private protected override void SetCanceled(CancellationToken token) => _completion.TrySetCanceled(token);
}

/// <summary>
/// A job of <c>RunValueAsync</c>: its caller's <see cref="ValueTask{TResult}"/> source itself, so the job is the only
/// allocation. It is never reused, so a job that still sits in a worker's batch after its caller has the outcome can never
/// be mistaken for a later one (the source's version stays 0).
/// </summary>
internal abstract class ValueCompletionJob<TResult> : TaskJob<TResult>, IValueTaskSource<TResult>
{
    private ManualResetValueTaskSourceCore<TResult> _value;

    private protected ValueCompletionJob(long id, PoolCounters counters, JobLimits limits, TimeSpan? timeout)
        : base(id, counters, limits, timeout) => _value.RunContinuationsAsynchronously = true;

    public override ValueTask<TResult> Outcome => new(this, 0);

    TResult IValueTaskSource<TResult>.GetResult(short token) => _value.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _value.GetStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _value.OnCompleted(continuation, state, token, flags);

    private protected override void SetResult(TResult result) => _value.SetResult(result);

    private protected override void SetException(Exception error) => _value.SetException(error);

    private protected override void SetCanceled(CancellationToken token) => _value.SetException(new OperationCanceledException(token));
}

/// <summary>A Task-facade job whose code is synchronous.</summary>
internal sealed class TaskJob<TState, TResult>(long id, Func<TState, TResult> work, PoolCounters counters, JobLimits? limits = null, TimeSpan? timeout = null)
    : TaskCompletionJob<TResult>(id, counters, limits ?? JobLimits.None, timeout)
{
    private protected override bool TakesToken => false;

    internal override bool IsAsync(JobHandlers handlers) => false;

    internal override Task? Execute(object? state, JobHandlers handlers, IActorRef pool)
    {
        RunSync(work, state);
        return null;
    }
}

/// <summary>A job of <c>RunValueAsync</c> whose code is synchronous.</summary>
internal sealed class ValueJob<TState, TResult>(long id, Func<TState, TResult> work, PoolCounters counters, JobLimits limits, TimeSpan? timeout)
    : ValueCompletionJob<TResult>(id, counters, limits, timeout)
{
    private protected override bool TakesToken => false;

    internal override bool IsAsync(JobHandlers handlers) => false;

    internal override Task? Execute(object? state, JobHandlers handlers, IActorRef pool)
    {
        RunSync(work, state);
        return null;
    }
}

/// <summary>
/// A Task-facade job whose code is asynchronous: it keeps its worker until its task completes, so no other job sees
/// the worker's state meanwhile, and no thread waits for it.
/// </summary>
internal sealed class AsyncTaskJob<TState, TResult> : TaskCompletionJob<TResult>
{
    private readonly Func<TState, CancellationToken, ValueTask<TResult>>? _work;
    private readonly Func<TState, Task<TResult>>? _workWithoutToken;

    public AsyncTaskJob(long id, Func<TState, CancellationToken, ValueTask<TResult>> work, PoolCounters counters, JobLimits limits, TimeSpan? timeout)
        : base(id, counters, limits, timeout) => _work = work;

    public AsyncTaskJob(long id, Func<TState, Task<TResult>> work, PoolCounters counters, JobLimits limits, TimeSpan? timeout)
        : base(id, counters, limits, timeout) => _workWithoutToken = work;

    private protected override bool TakesToken => _work is not null;

    internal override bool IsAsync(JobHandlers handlers) => true;

    internal override Task? Execute(object? state, JobHandlers handlers, IActorRef pool)
    {
        Begin();
        ValueTask<TResult> running;
        try
        {
            running = _work is not null ? _work((TState)state!, Token) : new ValueTask<TResult>(_workWithoutToken!((TState)state!));
        }
        catch
        {
            End();
            throw;
        }

        return Finish(running);
    }
}

/// <summary>A job of <c>RunValueAsync</c> whose code is asynchronous (see <see cref="AsyncTaskJob{TState, TResult}"/>).</summary>
internal sealed class AsyncValueJob<TState, TResult>(long id, Func<TState, CancellationToken, ValueTask<TResult>> work, PoolCounters counters, JobLimits limits, TimeSpan? timeout)
    : ValueCompletionJob<TResult>(id, counters, limits, timeout)
{
    private protected override bool TakesToken => true;

    internal override bool IsAsync(JobHandlers handlers) => true;

    internal override Task? Execute(object? state, JobHandlers handlers, IActorRef pool)
    {
        Begin();
        ValueTask<TResult> running;
        try
        {
            running = work((TState)state!, Token);
        }
        catch
        {
            End();
            throw;
        }

        return Finish(running);
    }
}
