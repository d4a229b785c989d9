using Actorpool.Actors.Jobs;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>The Task facade's ways to run a job: synchronous and asynchronous code, waiting for backlog space or not.</summary>
public sealed partial class PoolRef<TState>
{
    /// <summary>
    /// Runs <paramref name="job"/> on a worker's state. Waits (asynchronously) while the backlog is full. The task
    /// completes with the result, faults with the job's exception, with <see cref="JobRejectedException"/> when the
    /// pool is stopping, or with <see cref="JobCancelledException"/> when the pool cancels it (a stop, a kill, or
    /// <paramref name="timeout"/>); it is cancelled when <paramref name="cancellationToken"/> fires before the job starts.
    /// For asynchronous code use the overloads that take a function returning a task: they keep the worker until it completes.
    /// </summary>
    /// <param name="job">The job's code; must not return a <see cref="Task"/> or <see cref="ValueTask"/> (see the async overloads).</param>
    /// <param name="cancellationToken">Cancels the job while it waits.</param>
    /// <param name="timeout">How long the job's code may run (positive; <c>null</c> = the pool's <see cref="PoolOptions{TState}.JobTimeout"/>).</param>
    /// <exception cref="ArgumentException">The job returns a task, or the timeout is out of range.</exception>
    public Task<TResult> RunAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        SyncResult<TResult>.Check(nameof(job));
        CheckTimeout(timeout);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<TResult>(cancellationToken)
            : Submit(new TaskJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits, timeout), cancellationToken);
    }

    /// <summary>Runs <paramref name="job"/> on a worker's state; see <see cref="RunAsync{TResult}(Func{TState, TResult}, CancellationToken, TimeSpan?)"/>.</summary>
    public Task RunAsync(Action<TState> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunAsync(
            state =>
            {
                job(state);
                return true;
            },
            cancellationToken,
            timeout);
    }

    /// <summary>
    /// Runs asynchronous <paramref name="job"/> on a worker's state, which stays the job's alone until the job's task
    /// completes (no other job runs on that worker meanwhile, and no thread waits for it). The job's code gets a
    /// token that fires when <paramref name="cancellationToken"/> fires, when <paramref name="timeout"/> elapses, or
    /// when a stop deadline or a kill cuts the job off; a job that ends by observing it is cancelled (not failed), and
    /// any of those ends the returned task at once. A faulted task is a failure judged by the panic policy.
    /// </summary>
    /// <exception cref="ArgumentException">The timeout is out of range.</exception>
    public Task<TResult> RunAsync<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        CheckTimeout(timeout);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<TResult>(cancellationToken)
            : Submit(new AsyncTaskJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits, timeout), cancellationToken);
    }

    /// <summary>Runs asynchronous <paramref name="job"/>; see <see cref="RunAsync{TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, CancellationToken, TimeSpan?)"/>.</summary>
    public Task RunAsync(Func<TState, CancellationToken, ValueTask> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunAsync(
            async (state, token) =>
            {
                await job(state, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            timeout);
    }

    /// <summary>
    /// Runs asynchronous <paramref name="job"/> (an <c>async state =&gt; ...</c> lambda binds here) on a worker's state,
    /// which stays the job's alone until its task completes; see
    /// <see cref="RunAsync{TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, CancellationToken, TimeSpan?)"/>.
    /// Its code gets no token: take one with that overload to let cancellation and timeouts reach it while it runs.
    /// </summary>
    public Task<TResult> RunAsync<TResult>(Func<TState, Task<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        CheckTimeout(timeout);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<TResult>(cancellationToken)
            : Submit(new AsyncTaskJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits, timeout), cancellationToken);
    }

    /// <summary>Runs asynchronous <paramref name="job"/>; see <see cref="RunAsync{TResult}(Func{TState, Task{TResult}}, CancellationToken, TimeSpan?)"/>.</summary>
    public Task RunAsync(Func<TState, Task> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunAsync(
            async state =>
            {
                await job(state).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            timeout);
    }

    /// <summary>
    /// Runs <paramref name="job"/> as <see cref="RunAsync{TResult}(Func{TState, TResult}, CancellationToken, TimeSpan?)"/>
    /// does, with the same outcomes, but returns a <see cref="ValueTask{TResult}"/> whose source is the job itself: one
    /// allocation per job (with a cached or static delegate) where a <see cref="Task{TResult}"/> costs three. For callers
    /// that submit many small jobs and await each result once; as with any <see cref="ValueTask{TResult}"/>, await it
    /// once (or call <see cref="ValueTask{TResult}.AsTask"/> to keep it).
    /// </summary>
    /// <exception cref="ArgumentException">The job returns a task, or the timeout is out of range.</exception>
    public ValueTask<TResult> RunValueAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        SyncResult<TResult>.Check(nameof(job));
        CheckTimeout(timeout);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<TResult>(cancellationToken)
            : SubmitValue(new ValueJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits, timeout), cancellationToken);
    }

    /// <summary>
    /// Runs asynchronous <paramref name="job"/> as
    /// <see cref="RunAsync{TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, CancellationToken, TimeSpan?)"/> does,
    /// returning a <see cref="ValueTask{TResult}"/> whose source is the job itself; see
    /// <see cref="RunValueAsync{TResult}(Func{TState, TResult}, CancellationToken, TimeSpan?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The timeout is out of range.</exception>
    public ValueTask<TResult> RunValueAsync<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        CheckTimeout(timeout);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<TResult>(cancellationToken)
            : SubmitValue(new AsyncValueJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits, timeout), cancellationToken);
    }

    /// <summary>
    /// Submits <paramref name="job"/> only if the backlog has room, without waiting. Returns <c>false</c> (with
    /// <paramref name="result"/> faulted with <see cref="JobRejectedException"/>) when it is full or the pool is stopping.
    /// </summary>
    /// <exception cref="ArgumentException">The job returns a task (use the async overload).</exception>
    public bool TryRun<TResult>(Func<TState, TResult> job, out Task<TResult> result)
    {
        ArgumentNullException.ThrowIfNull(job);
        SyncResult<TResult>.Check(nameof(job));
        return TrySubmit(new TaskJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits), out result);
    }

    /// <summary>Submits asynchronous <paramref name="job"/> only if the backlog has room; see <see cref="TryRun{TResult}(Func{TState, TResult}, out Task{TResult})"/>.</summary>
    public bool TryRun<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, out Task<TResult> result)
    {
        ArgumentNullException.ThrowIfNull(job);
        return TrySubmit(new AsyncTaskJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits, null), out result);
    }

    /// <summary>Submits asynchronous <paramref name="job"/> only if the backlog has room; see <see cref="TryRun{TResult}(Func{TState, TResult}, out Task{TResult})"/>.</summary>
    public bool TryRun<TResult>(Func<TState, Task<TResult>> job, out Task<TResult> result)
    {
        ArgumentNullException.ThrowIfNull(job);
        return TrySubmit(new AsyncTaskJob<TState, TResult>(NextId(), job, _shared.Counters, _shared.Limits, null), out result);
    }

    /// <summary>
    /// Submits <paramref name="work"/> on <paramref name="arg"/> for Actorpool's own libraries: its one outcome goes to
    /// <paramref name="sink"/> with <paramref name="tag"/> (rejected when the pool is stopping; when the backlog is full,
    /// sent once it has room). Returns the job, through which its submitter cancels it.
    /// </summary>
    internal JobEnvelope RunWithSink<TArg, TResult>(Func<TState, TArg, CancellationToken, ValueTask<TResult>> work, TArg arg, IJobSink<TResult> sink, long tag, TimeSpan? timeout)
    {
        CheckTimeout(timeout);
        var job = new SinkJob<TState, TArg, TResult>(NextId(), work, arg, sink, tag, _shared.Counters, _shared.Limits, timeout);
        if (!TrySendNow(job, CancellationToken.None))
        {
            _ = SendWhenSpaceAsync(job, CancellationToken.None);
        }

        return job;
    }

    private static void CheckTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t)
        {
            TimeLimits.Check(nameof(timeout), t, TimeLimits.MaxDelay, positive: true);
        }
    }

    private long NextId() => Interlocked.Increment(ref _nextId);

    private string StoppingReason => $"Pool '{Name}' is stopping and accepts no new jobs.";

    private string TerminatedReason => $"Pool '{Name}' terminated before the job reached it.";

    private Task<TResult> Submit<TResult>(TaskCompletionJob<TResult> job, CancellationToken cancellationToken) =>
        TrySendNow(job, cancellationToken) ? job.Task : SendWhenSpaceAsync(job, cancellationToken);

    private ValueTask<TResult> SubmitValue<TResult>(ValueCompletionJob<TResult> job, CancellationToken cancellationToken) =>
        TrySendNow(job, cancellationToken) ? job.Outcome : new ValueTask<TResult>(SendWhenSpaceAsync(job, cancellationToken));

    /// <summary>Sends the job at once if the backlog has room (false: the caller waits for space).</summary>
    private bool TrySendNow<TResult>(TaskJob<TResult> job, CancellationToken cancellationToken)
    {
        if (!_shared.Gate.TryTake())
        {
            return false;
        }

        Send(job, cancellationToken);
        return true;
    }

    private bool TrySubmit<TResult>(TaskCompletionJob<TResult> job, out Task<TResult> result)
    {
        if (!_shared.IsClosing && _shared.Gate.TryTake())
        {
            Send(job, default);
            result = job.Task;
            return true;
        }

        job.TryReject(_shared.IsClosing ? StoppingReason : $"Pool '{Name}' backlog is full ({_shared.Backlog} jobs waiting).", Ref);
        result = job.Task;
        return false;
    }

    /// <summary>Sends a job that holds a backlog permit (or rejects it, giving the permit back, when the pool is stopping).</summary>
    private void Send<TResult>(TaskJob<TResult> job, CancellationToken cancellationToken)
    {
        if (_shared.IsClosing)
        {
            _shared.Gate.Release();
            job.TryReject(StoppingReason, Ref);
            return;
        }

        job.HoldsPermit = true;
        job.RegisterCancellation(cancellationToken, Ref);
        Ref.Tell(job, ActorRefs.NoSender);

        // Akka delivers at most once: a Tell that reads the pool's mailbox just before the pool terminates and
        // enqueues into it just after Akka drained it to dead letters is dropped without a dead letter. The pool
        // sets Terminated in PostStop, before that drain and after its workers stopped, so a job seen unsettled
        // here once Terminated is set can never run: cancel it (a no-op when the pool or the dead-letter
        // listener settled it first).
        if (_shared.Terminated.Task.IsCompleted)
        {
            job.TryCancel(TerminatedReason, null, Ref, evenIfRunning: false);
        }
    }

    private async Task<TResult> SendWhenSpaceAsync<TResult>(TaskJob<TResult> job, CancellationToken cancellationToken)
    {
        var gotSpace = false;
        if (!_shared.IsClosing)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shared.Closing.Token);
            try
            {
                await _shared.Gate.WaitAsync(linked.Token).ConfigureAwait(false);
                gotSpace = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                job.CancelByCaller(cancellationToken, Ref); // the caller gave up waiting for space
                return await job.Outcome.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The pool began stopping while this caller waited for space: it is rejected below.
            }
        }

        if (gotSpace)
        {
            Send(job, cancellationToken);
            return await job.Outcome.ConfigureAwait(false);
        }

        job.TryReject(StoppingReason, Ref);
        return await job.Outcome.ConfigureAwait(false);
    }

    /// <summary>Refuses a synchronous job whose result is a task: its code would free the worker at its first await.</summary>
    private static class SyncResult<TResult>
    {
        private static readonly bool IsTask = typeof(Task).IsAssignableFrom(typeof(TResult))
            || typeof(TResult) == typeof(ValueTask)
            || (typeof(TResult).IsGenericType && typeof(TResult).GetGenericTypeDefinition() == typeof(ValueTask<>));

        public static void Check(string parameter)
        {
            if (IsTask)
            {
                throw new ArgumentException(
                    $"The job returns {typeof(TResult).Name}: run asynchronous code with the RunAsync/TryRun overloads that take a function returning a Task or ValueTask, so the worker stays the job's until it completes.",
                    parameter);
            }
        }
    }
}
