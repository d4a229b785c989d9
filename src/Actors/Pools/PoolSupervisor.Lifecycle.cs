using Actorpool.Actors.Dispatch;
using Actorpool.Dynamic;
using Actorpool.Actors.Supervision;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Workers;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>The supervisor's lifecycle: panic decisions, scaling, Drain/Stop/Kill and termination.</summary>
internal sealed partial class PoolSupervisor<TState>
{
    private ITimer? _scaleTimer;
    private ITimer? _deadlineTimer;
    private int _target;    // workers that take jobs
    private int _keepWarm;  // workers above _target that stay alive without jobs (Scale.Mixed, NoTerm)
    private int _inactive;  // live workers flagged Inactive now
    private long _scaleAskedAt;
    private bool _scaleAsked;

    // Indexes of the first workers that have not yet tried their Init once; null once all have (Started is set).
    private HashSet<int>? _startPending;

    // The latest Init failure, given to jobs that no worker can run while every worker fails to start.
    private WorkerInitException? _lastInitFailure;

    protected override void PostStop()
    {
        _scaleTimer?.Dispose();
        _deadlineTimer?.Dispose();
        _shared.Closing.Cancel();

        // Only an outside stop (ActorSystem shutdown) leaves jobs here; they still get their outcome. Jobs still in
        // the intake never reached the backlog: they are refused (later ones go to dead letters with the mailbox).
        CancelQueued("the pool was stopped", evenIfRunning: true);
        _stop.Terminating();

        while (_intake is not null && _intake.TryTake(out var envelope))
        {
            _admission.Take(envelope); // refuses it: the pool no longer runs
        }

        _counters.Busy = _counters.Idle = _counters.Workers = _counters.Backlog = 0;
        PoolMetrics.Unregister(_counters);
        ReplyToStopWaiters();
        _shared.Started.TrySetResult();
        _shared.Terminated.TrySetResult();
    }

    /// <summary>
    /// The supervisor strategy's question: what a failed worker costs. Runs while Akka handles the failure, outside
    /// <see cref="OnReceive"/>: an exception of the pool's own here (a clock that throws) kills the pool rather than
    /// reaching Akka, which would restart the supervisor.
    /// </summary>
    private Directive Decide(IActorRef child, Exception cause)
    {
        try
        {
            return Judge(child, cause);
        }
        catch (Exception ex)
        {
            FailInternally(ex, $"judging a failure of {child.Path.Name}");
            return Directive.Resume; // the worker retires with the rest
        }
    }

    private Directive Judge(IActorRef child, Exception cause)
    {
        if (!_workers.TryGet(child, out var worker))
        {
            return Directive.Stop;
        }

        if (_stop.Phase == PoolPhase.Killed)
        {
            return Directive.Resume; // it is retiring already; its jobs are cancelled
        }

        var initFailed = cause is WorkerInitException;
        var verdict = _panic.Judge(cause, noProgress: initFailed, worker.ConsecutiveRestarts + 1);
        switch (verdict.Kind)
        {
            case PanicKind.Resume:
                return Directive.Resume;
            case PanicKind.Kill:
                Kill(verdict.KillCause!);
                return Directive.Resume; // it retires with the rest; its jobs are cancelled
        }

        worker.ConsecutiveRestarts++;
        worker.Link.SetBackoff(_options.TimeProvider.GetUtcNow(), verdict.Backoff);
        worker.Ready = false;
        if (initFailed)
        {
            worker.InitFailed = true;
            _lastInitFailure = (WorkerInitException)cause;
            MarkStartAttempt(worker.Index);
        }

        _counters.AddRestart();
        Dispatch(); // jobs that now have no worker able to run them get their outcome (see NoWorkerCanRun)
        return Directive.Restart;
    }

    /// <summary>Worker <paramref name="index"/> has tried its Init once (-1: none, just check); sets Started when all have.</summary>
    private void MarkStartAttempt(int index)
    {
        if (_startPending is not { } pending)
        {
            return;
        }

        pending.Remove(index);
        if (pending.Count == 0)
        {
            _startPending = null;
            _shared.Started.TrySetResult();
        }
    }

    /// <summary>
    /// Why the jobs in the backlog can never run as things stand, or <c>null</c>. Two cases would otherwise leave
    /// them waiting with no outcome: a drain while the scale function allows no worker (a drain finishes what can
    /// run, it does not wait for the scale to change), and a pool with no restart budget whose every worker fails
    /// its Init (nothing would ever kill it; the workers keep retrying with backoff, and new jobs fail at once
    /// until one of them starts).
    /// </summary>
    private (string Reason, Exception? Failure)? NoWorkerCanRun()
    {
        var (live, failing, active) = _workers.Health();

        if (_stop.Phase == PoolPhase.Draining && active == 0 && _target == 0)
        {
            return ($"Pool '{_shared.Name}' is draining and its scale function allows no workers (0), so the job could not run.", null);
        }

        if (live > 0 && failing == live && _options.Panic.Budget is null && _lastInitFailure is { } failure)
        {
            return ($"No worker of pool '{_shared.Name}' could build its state: {failure.Message}", failure);
        }

        return null;
    }

    /// <summary>Gives every job in the backlog its outcome when none can run (see <see cref="NoWorkerCanRun"/>).</summary>
    private void SettleBacklog((string Reason, Exception? Failure) why)
    {
        _admission.SettleAll(why.Reason, why.Failure);

        CheckStopProgress();
    }

    private void Kill(Exception cause)
    {
        _log.Error(cause, "Pool {0} killed by its panic policy", _shared.Name);
        _stop.Kill(cause);
        _shared.KillCause = cause;
        _startPending = null;
        _shared.Started.TrySetResult();
        _counters.Killed = true;
        _shared.Closing.Cancel();
        CancelQueued($"Pool '{_shared.Name}' was killed: {cause.Message}", evenIfRunning: true);
        _owner?.Tell(new PoolFailed(_shared.Name, cause), Self);
        CheckStopProgress();
    }

    private void BeginStop(bool drain, TimeSpan? deadline, StopWaiter waiter)
    {
        var (arm, closed, cancelQueued) = _stop.Begin(drain, deadline, waiter);

        // The deadline starts counting before any job is cancelled, so a caller who sees a cancellation knows it runs.
        if (arm is { } after)
        {
            _deadlineTimer = _options.TimeProvider.CreateTimer(static s => ((IActorRef)s!).Tell(PoolTick.Deadline), Self, after, Timeout.InfiniteTimeSpan);
        }

        if (closed)
        {
            _shared.Closing.Cancel();
        }

        if (cancelQueued)
        {
            CancelQueued($"Pool '{_shared.Name}' was stopped before the job started.", evenIfRunning: false);
        }

        if (_stop.DeadlineReached)
        {
            ReplyToStopWaiters();
        }

        Dispatch();
        CheckStopProgress();
    }

    private void OnDeadline()
    {
        if (!_stop.ReachDeadline())
        {
            return;
        }

        CancelQueued($"Pool '{_shared.Name}' reached its stop deadline.", evenIfRunning: true);
        ReplyToStopWaiters();
        CheckStopProgress();
    }

    /// <summary>Cancels the backlog and the jobs handed to workers (those already running too when <paramref name="evenIfRunning"/>).</summary>
    private void CancelQueued(string reason, bool evenIfRunning)
    {
        _admission.SettleAll(reason);

        foreach (var worker in _workers.All)
        {
            foreach (var job in worker.InFlight.Jobs())
            {
                job.TryCancel(reason, _stop.KillCause, Self, evenIfRunning);
            }
        }
    }

    private void CheckStopProgress()
    {
        var (retire, retireNow) = _stop.Retirement(_admission.Count == 0, _workers.AllIdle);
        if (!retire)
        {
            return;
        }

        foreach (var worker in _workers.All)
        {
            // A worker still building its state (or backing off after a failed Init) holds no job here: it may stop
            // at once, rather than after an Init that may never succeed.
            if ((retireNow || (!worker.Ready && worker.InFlight.Count == 0)) && !worker.RetiringNow)
            {
                worker.Retiring = worker.RetiringNow = true;
                worker.Actor.Tell(Retire.Immediately, Self);
            }
            else if (!worker.Retiring)
            {
                worker.Retiring = true;
                worker.Actor.Tell(Retire.AfterQueued, Self);
            }
        }

        UpdateGauges();
        if (_workers.Count == 0)
        {
            Context.Stop(Self);
        }
    }

    private void OnWorkerTerminated(IActorRef actor)
    {
        if (!_workers.Remove(actor, out var worker))
        {
            return;
        }

        MarkStartAttempt(worker.Index); // a first worker retired before its Init must not hold Started back

        // A worker reports every job before it stops, so anything left here was never run: give it another worker.
        var left = worker.InFlight.TakeAll();
        for (var i = left.Count - 1; i >= 0; i--)
        {
            _admission.Requeue(left[i], "the pool stopped before the job could run");
        }

        if (_stop.Dispatching)
        {
            Rescale(force: false);
        }

        Dispatch();
        CheckStopProgress();
    }

    private void ReplyToStopWaiters()
    {
        if (_stop.TakeWaiters() is not { } waiters)
        {
            return;
        }

        var report = _counters.Report(_stop.DeadlineReached);
        foreach (var waiter in waiters)
        {
            waiter.Sender?.Tell(report, Self);
            waiter.Reply?.TrySetResult(report);
        }
    }

    /// <summary>Asks the scale function (when set and its answer is stale or <paramref name="force"/>) and spawns or retires workers to match.</summary>
    private void Rescale(bool force)
    {
        if (_stop.RetiringAll)
        {
            return;
        }

        if (_options.Scale is not { } scale)
        {
            _target = _options.Workers;
        }
        else if (force || !_scaleAsked || _options.TimeProvider.GetElapsedTime(_scaleAskedAt) >= _options.ScaleCachePeriod)
        {
            _scaleAsked = true;
            _scaleAskedAt = _options.TimeProvider.GetTimestamp();
            UpdateGauges();
            try
            {
                var answer = scale(new PoolLoad(_counters.Backlog, _counters.Busy, _counters.Idle, _counters.Workers));
                if (answer.IsShutdown)
                {
                    // Once: BeginStop dispatches, which may ask the scale again (with no cache period, at once).
                    if (_stop.Running)
                    {
                        BeginStop(drain: true, null, new StopWaiter(null, null));
                    }

                    return;
                }

                _target = answer.Workers;
                _keepWarm = answer.Kind switch
                {
                    ScaleKind.Mixed => answer.MaxInactive ?? 0,
                    ScaleKind.NoTerm => int.MaxValue,
                    _ => 0,
                };
                if (_target > _options.MaxWorkers)
                {
                    _log.Warning("Scale function of pool {0} asked for {1} workers; clamped to MaxWorkers {2}", _shared.Name, _target, _options.MaxWorkers);
                    _target = _options.MaxWorkers;
                }
            }
            catch (Exception ex)
            {
                _log.Error(ex, "Scale function of pool {0} threw; keeping {1} workers", _shared.Name, _target);
            }
        }

        var alive = _workers.Live;
        foreach (var index in _workers.FreeIndexes(_target - alive).ToList())
        {
            Spawn(index);
        }

        // Every Scale kind is honoured: the lowest-index live workers take jobs (Active's count); above them, up to
        // Mixed's MaxInactive (NoTerm: all) stay alive with their state but get no new job; the rest retire. Walked
        // only when some worker is (or must become) inactive or retire: Rescale runs on every dispatch of a scaled pool.
        if (alive <= _target && _inactive == 0)
        {
            return;
        }

        var position = 0;
        _inactive = 0;
        foreach (var worker in _workers.LiveByIndex())
        {
            worker.Inactive = position >= _target;
            if (position++ >= _target + (long)_keepWarm)
            {
                var now = !worker.Ready && worker.InFlight.Count == 0; // see CheckStopProgress
                worker.Retiring = true;
                worker.RetiringNow = now;
                worker.Actor.Tell(now ? Retire.Immediately : Retire.AfterQueued, Self);
            }
            else
            {
                _inactive += worker.Inactive ? 1 : 0;
            }
        }
    }

    private void Spawn(int index)
    {
        var link = new WorkerLink(index);
        var (init, handle, retries, time) = (_options.Init, _options.Handle, _options.Panic.JobRetries, _options.TimeProvider);
        var props = Props.Create(() => new PoolWorker<TState>(link, init, handle, retries, time))
            .WithDispatcher(_options.Dispatcher ?? WorkStealingDispatcher.Id);

        var actor = Context.ActorOf(props, $"worker-{index}");
        Context.Watch(actor);
        _workers.Add(link, actor);
    }

}
