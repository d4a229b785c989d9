using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Actors.Workers;

/// <summary>
/// One worker of a pool: builds its state with <c>Init(index)</c> (after the backoff its supervisor chose),
/// runs the jobs handed to it in order, reports each handful back (work pulling), and rethrows a job's failure
/// so that the pool's panic policy (an Akka supervisor strategy) decides its fate. Its state is disposed
/// exactly once per incarnation, on restart or stop. It never blocks: it waits for its backoff by a timer.
/// </summary>
internal sealed class PoolWorker<TState> : UntypedActor, IWithUnboundedStash
{
    private readonly WorkerLink _link;
    private readonly Func<int, TState> _init;
    private readonly JobHandlers _handlers;
    private readonly int _jobRetries;
    private readonly TimeProvider _time;
    private readonly IActorRef _pool;
    private readonly KeyValuePair<string, object?> _poolTag; // the pool's name, as its metrics tag it

    // All fields below are owned by this actor (touched only inside its message processing and lifecycle hooks).
    private bool _ready;
    private object? _state;
    private ITimer? _backoffTimer;
    private long _batchStart; // when the batch being run began (Stopwatch ticks)
    private readonly Dispatch.DispatcherResumeContext? _resume; // where a job resumes after an await (null: the ThreadPool)

    public PoolWorker(WorkerLink link, Func<int, TState> init, JobHandlers handlers, int jobRetries, TimeProvider time)
    {
        _link = link;
        _init = init;
        _handlers = handlers;
        _jobRetries = jobRetries;
        _time = time;
        _pool = Context.Parent;
        _poolTag = new KeyValuePair<string, object?>("pool", _pool.Path.Name);
        _resume = Context.Dispatcher is Dispatch.IntakeDispatcher dispatcher ? new Dispatch.DispatcherResumeContext(dispatcher) : null;
    }

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        var now = _time.GetUtcNow();
        var notBefore = _link.TakeNotBefore() ?? now;
        var backoff = notBefore - now;
        if (backoff <= TimeSpan.Zero)
        {
            Self.Tell(InitNow.Instance);
            return;
        }

        var self = Self;
        _backoffTimer = _time.CreateTimer(static s => ((IActorRef)s!).Tell(InitNow.Instance), self, backoff, Timeout.InfiniteTimeSpan);

        // The clock may have passed the moment while the timer was being created (the timer then counts from
        // the later time): start now instead. A second InitNow is ignored once the state is built.
        if (_time.GetUtcNow() >= notBefore)
        {
            Self.Tell(InitNow.Instance);
        }
    }

    protected override void PreRestart(Exception reason, object message)
    {
        Close();
        base.PreRestart(reason, message);
    }

    protected override void PostStop() => Close();

    protected override void OnReceive(object message)
    {
        WorkerContext.Enter(Context, _link.Index);
        try
        {
            Handle(message);
        }
        finally
        {
            WorkerContext.Leave();
        }
    }

    private void Handle(object message)
    {
        if (!_ready)
        {
            WhileStarting(message);
            return;
        }

        switch (message)
        {
            case JobBatch batch:
                Run(batch.Jobs, batch.Count, batch);
                break;
            case JobEnvelope job:
                Run([job], 1, null);
                break;
            case Retire:
                Context.Stop(Self);
                break;
            case WorkerBroadcast broadcast:
                OnBroadcast(broadcast.Message);
                break;
            case InitNow:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void WhileStarting(object message)
    {
        switch (message)
        {
            case InitNow:
                try
                {
                    _state = _init(_link.Index);
                }
                catch (Exception ex)
                {
                    throw new WorkerInitException(_link.Index, ex);
                }

                _ready = true;
                Stash.UnstashAll();
                _pool.Tell(new WorkerReady(_link));
                break;
            case Retire { Now: true }:
                // The pool is going down (its jobs are cancelled already): settle what waits here and stop.
                var count = 0;
                foreach (var envelope in Stash.ClearStash())
                {
                    count += envelope.Message switch
                    {
                        JobEnvelope => 1,
                        JobBatch batch => batch.Count,
                        _ => 0,
                    };
                    CancelAll(envelope.Message);
                }

                if (count > 0)
                {
                    _pool.Tell(new WorkerDone(_link, count, null));
                }

                Context.Stop(Self);
                break;
            default:
                Stash.Stash();
                break;
        }
    }

    private void CancelAll(object message)
    {
        const string Reason = "the pool stopped before the worker was ready";
        if (message is JobEnvelope job)
        {
            job.TryCancel(Reason, null, _pool, evenIfRunning: false);
        }
        else if (message is JobBatch batch)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch.Jobs[i].TryCancel(Reason, null, _pool, evenIfRunning: false);
            }
        }
    }

    private void Run(JobEnvelope[] jobs, int count, JobBatch? batch)
    {
        _batchStart = Stopwatch.GetTimestamp();
        var at = RunFrom(jobs, 0, count, batch, out var running, out var trace);
        if (running is not null)
        {
            // An asynchronous job is still running: the mailbox stays suspended (no other job, no Retire) until its
            // task completes, so the worker's state is that job's alone meanwhile, and no thread waits for it.
            RunTask(() => RunAfterAsync(running, trace, jobs, at, count, batch));
        }
    }

    /// <summary>
    /// Runs the batch's jobs from <paramref name="from"/> in order, until one returns a task still running: returns its
    /// index with <paramref name="running"/> set, or <paramref name="count"/> once the batch is done and reported.
    /// </summary>
    private int RunFrom(JobEnvelope[] jobs, int from, int count, JobBatch? batch, out Task? running, out JobTrace trace)
    {
        for (var i = from; i < count; i++)
        {
            var job = jobs[i];
            if (!job.TryStart())
            {
                continue; // cancelled while it waited here
            }

            trace = JobTrace.Start(job, _poolTag, _link.Index);
            try
            {
                running = Execute(job);
            }
            catch (Exception ex)
            {
                if (job.TryEndCancelled(ex, _pool))
                {
                    trace.End("cancelled");
                    continue; // it observed its token: cancelled, not a failure
                }

                trace.End(Fail(jobs, i, count, ex) ? "retried" : "failed", ex);
                throw; // the panic policy decides: restart, resume, or kill the pool
            }

            if (running is not null)
            {
                trace.Detach();
                return i;
            }

            trace.End(job.WasCompleted ? "completed" : "cancelled");
        }

        // Done with the batch (it is not touched again): its own notice lets the supervisor reuse it, and says how long
        // the batch took (the pool's credit follows it).
        if (batch is null)
        {
            _pool.Tell(new WorkerDone(_link, count, null));
        }
        else
        {
            batch.RunTicks = Math.Max(1, Stopwatch.GetTimestamp() - _batchStart);
            _pool.Tell(batch.Done);
        }

        running = null;
        trace = default;
        return count;
    }

    /// <summary>
    /// Runs a job's code; asynchronous code runs its first step under <see cref="_resume"/>, so it resumes on the pool's
    /// dispatcher after an await. Synchronous code keeps the caller's context: one that blocks on a task (sync over
    /// async) must not wait for a continuation queued behind it on the dispatcher's few threads.
    /// </summary>
    private Task? Execute(JobEnvelope job) => _resume is null || !job.IsAsync(_handlers)
        ? job.Execute(_state, _handlers, _pool)
        : _resume.RunFirstStep(job, _state, _handlers, _pool);

    /// <summary>
    /// Waits (in the actor's context, Akka's RunTask) for the asynchronous job at <paramref name="at"/>, then runs the
    /// rest of the batch. A failure is thrown to the panic policy exactly as a synchronous one, once the task has
    /// ended: a restart never rebuilds the state while the job's code still runs.
    /// </summary>
    private async Task RunAfterAsync(Task running, JobTrace trace, JobEnvelope[] jobs, int at, int count, JobBatch? batch)
    {
        while (true)
        {
            try
            {
                await running; // no ConfigureAwait(false): the rest must run in the actor's context
                trace.End(jobs[at].WasCompleted ? "completed" : "cancelled");
            }
            catch (Exception ex)
            {
                if (!jobs[at].TryEndCancelled(ex, _pool))
                {
                    trace.End(Fail(jobs, at, count, ex) ? "retried" : "failed", ex);
                    throw;
                }

                trace.End("cancelled");
            }

            WorkerContext.Enter(Context, _link.Index);
            try
            {
                at = RunFrom(jobs, at + 1, count, batch, out var next, out trace);
                if (next is null)
                {
                    return;
                }

                running = next;
            }
            finally
            {
                WorkerContext.Leave();
            }
        }
    }

    /// <summary>
    /// Settles a job that threw (retried later while it has retries left, else failed) and reports the batch with
    /// the jobs after it (and the job itself, for a retry) handed back, before the failure goes to the panic policy.
    /// </summary>
    /// <returns>True when the job will be retried.</returns>
    private bool Fail(JobEnvelope[] jobs, int at, int count, Exception ex)
    {
        var job = jobs[at];
        job.Failures++;
        var retry = job.Failures <= _jobRetries && job.TryRequeue();
        if (retry)
        {
            job.LastWorker = _link.Index;
        }
        else
        {
            job.TryFail(ex, _pool);
        }

        var from = retry ? at : at + 1;
        var returned = from < count ? jobs[from..count] : null;
        _pool.Tell(new WorkerDone(_link, count, returned)); // not the batch's notice: it is not reused
        return retry;
    }

    /// <summary>Runs the pool's function on a broadcast (no outcome); an asynchronous one keeps the worker until it completes.</summary>
    private void OnBroadcast(object message)
    {
        if (_handlers.Handle is null && _handlers.HandleAsync is null)
        {
            return;
        }

        var running = _handlers.Run(_state, message);
        if (!running.IsCompleted)
        {
            RunTask(running.AsTask);
        }
        else
        {
            _ = running.Result; // rethrows a synchronous failure to the panic policy, as a job's would
        }
    }

    private void Close()
    {
        _backoffTimer?.Dispose();
        _backoffTimer = null;
        var state = _state;
        _state = null;
        _ready = false;
        if (state is IDisposable disposable)
        {
            try
            {
                disposable.Dispose();
            }
            catch (Exception ex)
            {
                Context.GetLogger().Error(ex, "Disposing the state of worker {0} failed", _link.Index);
            }
        }
    }
}
