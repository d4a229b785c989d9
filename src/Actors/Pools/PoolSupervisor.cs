using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Supervision;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Workers;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>
/// The pool actor: a thin actor over plain single-threaded parts that it owns and that never block. Jobs come in
/// through <see cref="Admission"/> (counted, backlog permits) and go out through <see cref="Handout"/> to the workers
/// of the <see cref="WorkerTable"/> with free credit (work pulling, in submission order); <see cref="Scaling{TState}"/> sizes
/// the table, <see cref="Panic"/> judges failed workers, and <see cref="Shutdown"/> runs Drain/Stop/Kill so that
/// every job gets exactly one outcome. This file routes messages; PoolSupervisor.Lifecycle.cs handles failures,
/// stops and termination. Timers come from the pool's TimeProvider and arrive as messages.
/// </summary>
internal sealed partial class PoolSupervisor<TState> : UntypedActor
{
    // Jobs taken from the intake per JobsArrived marker before the supervisor lets queued messages in.
    private const int IntakeBudget = 64;

    private readonly PoolOptions<TState> _options;
    private readonly PoolShared _shared;
    private readonly PoolCounters _counters;
    private readonly IActorRef? _owner;
    private readonly Admission _admission;
    private readonly WorkerTable _workers;
    private readonly Handout _handout;
    private readonly Scaling<TState> _scaling;
    private readonly Shutdown _stop;
    private readonly Panic _panic;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // The mailbox's job intake (null when the supervisor runs on another mailbox: jobs then arrive as messages).
    private readonly PoolMessageQueue? _intake;
    private readonly Action<int> _spawn;
    private readonly JobHandlers _handlers; // the pool's Handle functions, untyped, and its cut-off token, for every worker

    private ITimer? _scaleTimer;
    private ITimer? _deadlineTimer;
    private bool _dispatchPending; // a PoolTick.Dispatch is in the mailbox

    public PoolSupervisor(PoolOptions<TState> options, PoolShared shared, IActorRef? owner)
    {
        _options = options;
        _shared = shared;
        _counters = shared.Counters;
        _owner = owner;
        _stop = new Shutdown(options.Name);
        _admission = new Admission(shared, _stop, Self);
        _workers = new WorkerTable(options.Prefetch, Self);
        _handout = new Handout(_admission, _workers, Self);
        _scaling = new Scaling<TState>(options, CurrentLoad, _log);
        _spawn = Spawn;
        _handlers = new JobHandlers(
            options.Handle is { } handle ? (state, message) => handle((TState)state!, message) : null,
            options.HandleAsync is { } handleAsync ? (state, message, token) => handleAsync((TState)state!, message, token) : null,
            shared.Limits.CutOff);
        _panic = new Panic(options.Panic, options.TimeProvider);
        _intake = (Context as ActorCell)?.Mailbox?.MessageQueue as PoolMessageQueue;
        _intake?.Attach(_counters);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new PanicStrategy(Decide, LogFailure);

    protected override void PreStart()
    {
        _counters.Instruments.Register(_counters);
        try
        {
            // The timer starts before the first workers, so whoever sees a worker knows the clock is already counting.
            if (_scaling.Scaled)
            {
                _scaleTimer = _options.TimeProvider.CreateTimer(
                    static s => ((IActorRef)s!).Tell(PoolTick.Scale), Self, _options.ScaleInterval, _options.ScaleInterval);
            }

            Rescale(force: true);
            _workers.AwaitFirstAttempts();
            MarkFirstAttempt(null);
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
                Admit(_admission.Accept(submit, Sender));
                break;
            case JobEnvelope job:
                Admit(job);
                break;
            case WorkerDone done:
                OnDone(done);
                break;
            case WorkerReady ready when _workers.Of(ready.Link) is { } worker:
                worker.Ready = true;
                worker.InitFailed = false;
                MarkFirstAttempt(worker.Index);
                Dispatch();
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
                _workers.Broadcast(broadcast.Message);
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
            case WorkerReady:
                break; // from a worker incarnation that is gone
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// Takes up to <paramref name="budget"/> jobs from the mailbox's intake, in order: straight to workers with free
    /// credit while nothing waits in the backlog, the rest into the backlog; then dispatches. With jobs left it
    /// queues another marker behind the messages already waiting (worker reports among them), so a flood of
    /// submits never delays the reports that free worker credit.
    /// </summary>
    private void TakeIntake(int budget)
    {
        var intake = _intake!;
        intake.BeginDrain();
        var taken = _stop.Running && !_scaling.Scaled ? _handout.FromIntake(intake, budget) : 0;
        var admitted = false;
        for (; taken < budget && intake.TryTake(out var entry); taken++)
        {
            admitted |= _admission.Take(entry) is { } job && _admission.Wait(job);
        }

        if (intake.NeedsMarker())
        {
            Self.Tell(JobsArrived.Instance, Self);
        }

        if (admitted)
        {
            Dispatch();
        }
        else
        {
            UpdateGauges();
        }
    }

    /// <summary>Puts a job that came as a message in the backlog and dispatches after the messages already in the mailbox.</summary>
    private void Admit(JobEnvelope? job)
    {
        // A burst leaves in batches, a lone job one hop later.
        if (job is not null && _admission.Wait(job) && !_dispatchPending)
        {
            _dispatchPending = true;
            Self.Tell(PoolTick.Dispatch, Self);
        }
    }

    private void OnDone(WorkerDone done)
    {
        if (_workers.Of(done.Link) is { } worker)
        {
            if (done.Batch is { RunTicks: > 0 } ran)
            {
                _workers.ReportRun(ran.Count, ran.RunTicks);
            }

            worker.InFlight.Remove(done.Count, done.Batch);
            worker.ConsecutiveRestarts = done.Returned is null ? 0 : worker.ConsecutiveRestarts;
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

        if (_scaling.Scaled && _admission.Count > 0)
        {
            Rescale(force: false);
        }

        // Cheap guard first: only a drain or a pool whose Init has failed can be in a state WhyNoneCanRun looks for.
        if (_admission.Count > 0 && (_stop.Phase == PoolPhase.Draining || _workers.LastInitFailure is not null)
            && _workers.WhyNoneCanRun(_shared.Name, _stop.Phase == PoolPhase.Draining, _scaling.Target, _options.Panic.Budget is null) is { } why)
        {
            _admission.SettleAll(why.Reason, why.Failure);
            CheckStopProgress();
            return;
        }

        _handout.FromBacklog();
        UpdateGauges();
    }

    private PoolLoad CurrentLoad()
    {
        UpdateGauges();
        return new PoolLoad(_counters.Backlog, _counters.Busy, _counters.Idle, _counters.Workers);
    }

    private void UpdateGauges()
    {
        (_counters.Busy, _counters.Idle, _counters.Workers) = _workers.Load();
        _counters.Backlog = _admission.Count;
    }

    private void Spawn(int index)
    {
        var link = new WorkerLink(index);
        var (init, handlers, retries, time) = (_options.Init, _handlers, _options.Panic.JobRetries, _options.TimeProvider);
        var props = Props.Create(() => new PoolWorker<TState>(link, init, handlers, retries, time))
            .WithDispatcher(_options.WorkersDispatcher);

        var actor = Context.ActorOf(props, $"worker-{index}");
        Context.Watch(actor);
        _workers.Add(link, actor);
    }
}
