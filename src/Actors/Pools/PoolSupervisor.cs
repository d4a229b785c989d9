using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Supervision;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Workers;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>
/// The pool actor: owns the backlog and the workers, hands jobs only to workers with free prefetch credit
/// (work pulling, in submission order), applies the panic policy to failed workers, follows the scale
/// function, and runs Drain/Stop/Kill so that every job gets exactly one outcome. All fields are owned by
/// this actor; it never blocks (timers come from the pool's TimeProvider and arrive as messages).
/// </summary>
internal sealed partial class PoolSupervisor<TState> : UntypedActor
{
    private readonly PoolOptions<TState> _options;
    private readonly PoolShared _shared;
    private readonly PoolCounters _counters;
    private readonly IActorRef? _owner;
    private readonly Admission _admission;
    private readonly WorkerTable _workers;
    private readonly Shutdown _stop;
    private readonly Panic _panic;
    private readonly int _batch;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // The mailbox's job intake (null when the supervisor runs on another mailbox: jobs then arrive as messages).
    private readonly PoolMessageQueue? _intake;

    // Jobs taken from the intake per JobsArrived marker before the supervisor lets queued messages in.
    private const int IntakeBudget = 64;

    // A PoolTick.Dispatch is in the mailbox.
    private bool _dispatchPending;

    public PoolSupervisor(PoolOptions<TState> options, PoolShared shared, IActorRef? owner)
    {
        _options = options;
        _shared = shared;
        _counters = shared.Counters;
        _owner = owner;
        _workers = new WorkerTable(options.Prefetch);
        _stop = new Shutdown(options.Name);
        _admission = new Admission(shared, _stop, Self);
        _panic = new Panic(options.Panic, options.TimeProvider);

        // Hand over at most half the prefetch in one message, so a worker always has its next batch queued
        // while it reports the previous one: it never idles for a round trip, and a slow job holds few behind it.
        _batch = Math.Max(1, options.Prefetch / 2);
        _intake = (Context as ActorCell)?.Mailbox?.MessageQueue as PoolMessageQueue;
        _intake?.Attach(_counters);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new PanicStrategy(Decide);

    protected override void PreStart()
    {
        PoolMetrics.Register(_counters);
        try
        {
            // The timer starts before the first workers, so whoever sees a worker knows the clock is already counting.
            if (_options.Scale is not null)
            {
                _scaleTimer = _options.TimeProvider.CreateTimer(
                    static s => ((IActorRef)s!).Tell(PoolTick.Scale), Self, _options.ScaleInterval, _options.ScaleInterval);
            }

            Rescale(force: true);
            _startPending = [.. _workers.All.Select(s => s.Index)];
            MarkStartAttempt(-1);
            UpdateGauges();
        }
        catch (Exception ex)
        {
            FailInternally(ex, "starting");
        }
    }

    protected override void OnReceive(object message)
    {
        try
        {
            Handle(message);
        }
        catch (Exception ex)
        {
            FailInternally(ex, $"handling {message.GetType().Name}");
        }
    }

    /// <summary>
    /// The pool's own code threw (a bug, or a clock or scale function that misbehaves). Akka would restart the
    /// supervisor, losing every job's bookkeeping and leaving the old workers behind; instead the pool is killed,
    /// so every job gets its outcome and Completion completes once everything has stopped.
    /// </summary>
    private void FailInternally(Exception ex, string during)
    {
        if (_stop.Phase == PoolPhase.Killed)
        {
            // Already killed (every job has its outcome): log it, never rethrow it to Akka.
            _log.Error(ex, "Pool {0} failed while {1} after it was killed", _shared.Name, during);
            return;
        }

        Kill(new InvalidOperationException($"Pool '{_shared.Name}' failed while {during}: {ex.Message}", ex));
    }

    private void Handle(object message)
    {
        // A request from outside sees every job its sender sent before it (a Drain finishes them, stats count
        // them), as when jobs were messages: the intake that was there when it arrived is taken first.
        if (_intake is { } intake && message is GetPoolStats or StopRequest or DrainPool or StopPool or PoolBroadcast)
        {
            TakeIntake(intake.IntakeCount);
        }

        switch (message)
        {
            case JobsArrived:
                TakeIntake(IntakeBudget);
                break;
            case Submit submit: // before JobEnvelope: a Submit message is a new submission even if it is an envelope
                if (_admission.Accept(submit, Sender) is { } accepted && _admission.Wait(accepted))
                {
                    ScheduleDispatch();
                }

                break;
            case JobEnvelope job:
                if (_admission.Wait(job))
                {
                    ScheduleDispatch();
                }

                break;
            case WorkerDone done:
                OnDone(done);
                break;
            case WorkerReady ready:
                if (_workers.Of(ready.Link) is { } readyWorker)
                {
                    readyWorker.Ready = true;
                    readyWorker.InitFailed = false;
                    MarkStartAttempt(readyWorker.Index);
                    Dispatch();
                }

                break;
            case Terminated terminated:
                OnWorkerTerminated(terminated.ActorRef);
                break;
            case GetPoolStats:
                UpdateGauges();
                Sender.Tell(_counters.Snapshot());
                break;
            case StopRequest request:
                BeginStop(request.Drain, request.Deadline, new StopWaiter(null, request.Reply));
                break;
            case DrainPool drain:
                BeginStop(true, drain.Deadline, new StopWaiter(Sender, null));
                break;
            case StopPool stop:
                BeginStop(false, stop.Deadline, new StopWaiter(Sender, null));
                break;
            case PoolBroadcast broadcast:
                foreach (var worker in _workers.All)
                {
                    if (!worker.Retiring)
                    {
                        worker.Actor.Tell(new WorkerBroadcast(broadcast.Message), Self);
                    }
                }

                break;
            case PoolTick tick when ReferenceEquals(tick, PoolTick.Dispatch):
                _dispatchPending = false;
                Dispatch();
                break;
            case PoolTick tick when ReferenceEquals(tick, PoolTick.Scale):
                Rescale(force: true);
                Dispatch();
                break;
            case PoolTick:
                OnDeadline();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnDone(WorkerDone done)
    {
        var worker = _workers.Of(done.Link);
        if (worker is not null)
        {
            worker.InFlight.Remove(done.Count, done.Batch);

            if (done.Returned is null)
            {
                worker.ConsecutiveRestarts = 0;
            }
        }

        if (done.Returned is { } returned)
        {
            for (var i = returned.Length - 1; i >= 0; i--)
            {
                _admission.Requeue(returned[i], "the pool stopped before the job could be retried");
            }
        }

        Dispatch();
        CheckStopProgress();
    }

    private void Dispatch()
    {
        if (!_stop.Dispatching)
        {
            return;
        }

        if (_options.Scale is not null && _admission.Count > 0)
        {
            Rescale(force: false);
        }

        // Cheap guard first: only a drain or a pool whose Init has failed can be in a state NoWorkerCanRun looks for.
        if (_admission.Count > 0 && (_stop.Phase == PoolPhase.Draining || _lastInitFailure is not null) && NoWorkerCanRun() is { } why)
        {
            SettleBacklog(why);
            return;
        }

        while (_admission.Count > 0)
        {
            var head = _admission.PeekFirst();
            if (head.IsFinished)
            {
                _admission.ReleasePermit(_admission.RemoveFirst()); // cancelled by its caller while it waited
                continue;
            }

            var worker = _workers.Pick(head.LastWorker);
            if (worker is null)
            {
                break;
            }

            var n = Math.Min(Math.Min(_options.Prefetch - worker.InFlight.Count, _batch), _admission.Count);
            // Jobs always travel in a (reused) batch, a lone one too: a bare Submit in dead letters is a
            // submission that never reached a pool, answered as such (see UndeliveredJobs).
            var batch = worker.InFlight.Rent(_batch);
            var jobs = batch.Jobs;
            var taken = 0;
            var permits = 0;
            while (taken < n && _admission.Count > 0)
            {
                var job = _admission.RemoveFirst();
                if (job.HoldsPermit)
                {
                    job.HoldsPermit = false;
                    permits++;
                }

                if (!job.IsFinished)
                {
                    // The array is exactly JobEnvelope[] (made here): store without the covariance check.
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(jobs), taken++) = job;
                }
            }

            if (permits > 0)
            {
                _admission.ReleasePermits(permits); // one interlocked add per batch rather than per job
            }

            if (taken > 0)
            {
                batch.Count = taken;
                worker.InFlight.Add(batch);
                worker.Actor.Tell(batch, Self);
            }
            else
            {
                worker.InFlight.Return(batch);
            }
        }

        UpdateGauges();
    }

    private void UpdateGauges()
    {
        (_counters.Busy, _counters.Idle, _counters.Workers) = _workers.Load();
        _counters.Backlog = _admission.Count;
    }
}
