using Actorpool.Actors.Supervision;
using Actorpool.Actors.Workers;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>The pool actor's lifecycle: failed workers, scaling, Drain/Stop/Kill and termination.</summary>
internal sealed partial class PoolSupervisor<TState>
{
    protected override void PostStop()
    {
        _scaleTimer?.Dispose();
        _deadlineTimer?.Dispose();
        _shared.Closing.Cancel();

        // Only an outside stop (ActorSystem shutdown) leaves jobs here; they still get their outcome. Jobs still in
        // the intake never reached the backlog: they are refused (later ones go to dead letters with the mailbox).
        CancelQueued("the pool was stopped", evenIfRunning: true);
        _stop.Terminating();
        while (_intake is not null && _intake.TryTake(out var entry))
        {
            _admission.Take(entry); // refuses it: the pool no longer runs
        }

        _counters.Busy = _counters.Idle = _counters.Workers = _counters.Backlog = 0;
        _counters.Instruments.Unregister(_counters);
        _stop.Report(_counters, Self);
        _shared.Started.TrySetResult();
        _shared.Terminated.TrySetResult();
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
            _log.Write(LogLevel.ErrorLevel, PoolLog.FailedAfterKill, ex, _shared.Name, during);
            return;
        }

        Kill(new InvalidOperationException($"Pool '{_shared.Name}' failed while {during}: {ex.Message}", ex));
    }

    /// <summary>
    /// The supervisor strategy's question: what a failed worker costs (the <see cref="Panic"/> policy decides;
    /// this applies it). Runs while Akka handles the failure, outside OnReceive: an exception of the pool's own here
    /// (a clock that throws) kills the pool rather than reaching Akka, which would restart the supervisor.
    /// </summary>
    private Directive Decide(IActorRef child, Exception cause)
    {
        try
        {
            if (!_workers.TryGet(child, out var worker))
            {
                return Directive.Stop;
            }

            if (_stop.Phase == PoolPhase.Killed)
            {
                return Directive.Resume; // it is retiring already; its jobs are cancelled
            }

            var initFailure = cause as WorkerInitException;
            var verdict = _panic.Judge(cause, noProgress: initFailure is not null, worker.ConsecutiveRestarts + 1);
            switch (verdict.Kind)
            {
                case PanicKind.Resume:
                    return Directive.Resume;
                case PanicKind.Kill:
                    Kill(verdict.KillCause!);
                    return Directive.Resume; // it retires with the rest; its jobs are cancelled
            }

            // Restart: the worker rebuilds its state after the backoff (PoolWorker.PreStart).
            worker.ConsecutiveRestarts++;
            worker.Link.SetBackoff(_options.TimeProvider.GetUtcNow(), verdict.Backoff);
            worker.Ready = false;
            if (initFailure is not null)
            {
                worker.InitFailed = true;
                _workers.LastInitFailure = initFailure;
                MarkFirstAttempt(worker.Index);
            }

            _counters.AddRestart();
            Dispatch(); // jobs that now have no worker able to run them get their outcome (see WhyNoneCanRun)
            return Directive.Restart;
        }
        catch (Exception ex)
        {
            FailInternally(ex, $"judging a failure of {child.Path.Name}");
            return Directive.Resume; // the worker retires with the rest
        }
    }

    /// <summary>
    /// Logs a worker's failure once <see cref="Decide"/> chose what it costs: a failed job that the worker survives
    /// at <see cref="PoolOptions{TState}.FailureLogLevel"/> (its caller has the exception), a restart at Warning in one
    /// line without the stack; a kill was logged at Error by <see cref="Kill"/>.
    /// </summary>
    private void LogFailure(IActorRef child, Exception cause, Directive directive)
    {
        if (_stop.Phase == PoolPhase.Killed)
        {
            return; // Kill logged the cause; a retiring worker's later failures add nothing
        }

        switch (directive)
        {
            case Directive.Resume:
                LogJobFailure(child, cause);
                break;
            case Directive.Restart:
                _log.Write(LogLevel.WarningLevel, PoolLog.WorkerRestarted, null, _shared.Name, child.Path.Name, cause.GetType().Name, cause.Message);
                break;
            default:
                _log.Write(LogLevel.WarningLevel, PoolLog.WorkerStopped, null, _shared.Name, child.Path.Name, cause.GetType().Name, cause.Message);
                break;
        }
    }

    private void LogJobFailure(IActorRef child, Exception cause) =>
        _log.Write(_options.FailureLogLevel, PoolLog.JobFailed, null, _shared.Name, child.Path.Name, cause.GetType().Name, cause.Message);

    /// <summary>Worker <paramref name="index"/> has tried its Init once (null: none, just check); Started is set when all have.</summary>
    private void MarkFirstAttempt(int? index)
    {
        if (_workers.FirstAttempt(index))
        {
            _shared.Started.TrySetResult();
        }
    }

    private void Kill(Exception cause)
    {
        _log.Write(LogLevel.ErrorLevel, PoolLog.PoolKilled, cause, _shared.Name);
        _stop.Kill(cause);
        _shared.KillCause = cause;
        _workers.ForgetFirstAttempts();
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
            _stop.Report(_counters, Self);
        }

        Dispatch();
        CheckStopProgress();
    }

    /// <summary>The stop deadline passed: everything still queued or running is cut off here.</summary>
    private void OnDeadline()
    {
        if (_stop.ReachDeadline())
        {
            CancelQueued($"Pool '{_shared.Name}' reached its stop deadline.", evenIfRunning: true);
            _stop.Report(_counters, Self);
            CheckStopProgress();
        }
    }

    /// <summary>
    /// Cancels the backlog and the jobs handed to workers; when <paramref name="evenIfRunning"/>, those already running
    /// too, and their code's cancellation tokens fire (the pool's cut-off token, or each job's own).
    /// </summary>
    private void CancelQueued(string reason, bool evenIfRunning)
    {
        _admission.SettleAll(reason);
        _stop.RunningWhenCutOff += _workers.CancelInFlight(reason, _stop.KillCause, evenIfRunning);
        if (evenIfRunning)
        {
            _shared.CutOffRunningJobs();
        }
    }

    /// <summary>Retires the workers once the phase says so (see <see cref="Shutdown.Retirement"/>); stops the pool when none is left.</summary>
    private void CheckStopProgress()
    {
        var (retire, retireNow) = _stop.Retirement(_admission.Count == 0, _workers.AllIdle);
        if (!retire)
        {
            return;
        }

        _workers.RetireAll(retireNow);
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

        MarkFirstAttempt(worker.Index); // a first worker retired before its Init must not hold Started back

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

    /// <summary>Asks the scale (when set and its answer is stale or <paramref name="force"/>) and spawns or retires workers to match.</summary>
    private void Rescale(bool force)
    {
        if (_stop.RetiringAll)
        {
            return;
        }

        if (_scaling.Ask(force))
        {
            // The scale answered Shutdown. Once: BeginStop dispatches, which may ask again (with no cache period, at once).
            if (_stop.Running)
            {
                BeginStop(drain: true, null, new StopWaiter(null, null));
            }

            return;
        }

        _scaling.Apply(_workers, _spawn);
    }
}
