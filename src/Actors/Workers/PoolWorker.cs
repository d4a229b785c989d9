using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
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
    private readonly Func<object?, object, object?>? _handle;
    private readonly int _jobRetries;
    private readonly TimeProvider _time;
    private readonly IActorRef _pool;

    // All fields below are owned by this actor (touched only inside its message processing and lifecycle hooks).
    private bool _ready;
    private object? _state;
    private ITimer? _backoffTimer;

    public PoolWorker(WorkerLink link, PoolOptions<TState> options)
    {
        _link = link;
        _init = options.Init;
        _handle = options.Handle is { } handle ? (state, message) => handle((TState)state!, message) : null;
        _jobRetries = options.Panic.JobRetries;
        _time = options.TimeProvider;
        _pool = Context.Parent;
    }

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        var backoff = _link.TakeBackoff(_time.GetUtcNow());
        if (backoff <= TimeSpan.Zero)
        {
            Self.Tell(InitNow.Instance);
            return;
        }

        var self = Self;
        _backoffTimer = _time.CreateTimer(static s => ((IActorRef)s!).Tell(InitNow.Instance), self, backoff, Timeout.InfiniteTimeSpan);
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
            case JobEnvelope job:
                Run([job]);
                break;
            case JobBatch batch:
                Run(batch.Jobs);
                break;
            case Retire:
                Context.Stop(Self);
                break;
            case PoolBroadcast broadcast:
                _handle?.Invoke(_state, broadcast.Message);
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
                        JobBatch batch => batch.Jobs.Length,
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
            foreach (var each in batch.Jobs)
            {
                each.TryCancel(Reason, null, _pool, evenIfRunning: false);
            }
        }
    }

    private void Run(JobEnvelope[] jobs)
    {
        for (var i = 0; i < jobs.Length; i++)
        {
            var job = jobs[i];
            if (!job.TryStart())
            {
                continue; // cancelled while it waited here
            }

            try
            {
                job.Execute(_state, _handle, _pool);
            }
            catch (Exception ex)
            {
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

                var from = retry ? i : i + 1;
                var returned = from < jobs.Length ? jobs[from..] : null;
                _pool.Tell(new WorkerDone(_link, jobs.Length, returned));
                throw; // the panic policy decides: restart, resume, or kill the pool
            }
        }

        _pool.Tell(new WorkerDone(_link, jobs.Length, null));
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
