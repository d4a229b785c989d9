using System.Runtime.ExceptionServices;
using Actorpool.Actors.Jobs;
using Akka.Actor;
using Akka.Dispatch;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// Where an asynchronous job resumes after an <c>await</c>: on its pool's work-stealing dispatcher, the threads its
/// worker runs on, rather than on the .NET ThreadPool. Without it every await of a job hands the job to a ThreadPool
/// thread, and back to the dispatcher for the worker's next job: on a machine with as many dispatcher threads as cores,
/// the two sets of threads then compete for the cores (the dispatcher's threads spin while they wait for the worker's
/// mailbox). Current only while an asynchronous job's code runs on its worker, up to its first await: that await
/// comes back to the dispatcher, and the job's code then runs there without a context, so its later awaits continue
/// on the ThreadPool. (Keeping the context current in the continuation too made every <c>ConfigureAwait(false)</c>
/// continuation completed inside it run asynchronously instead of inline, as the runtime does under any context:
/// <c>actors-async-yield</c> fell from about 0.4 to 0.02 M jobs/s.) Never current while the worker itself awaits the
/// job's task, which resumes through Akka's own task scheduler; code that uses <c>ConfigureAwait(false)</c> resumes on
/// the ThreadPool.
/// <para>
/// A continuation posted on the worker's own thread while the job's first step runs (<c>await Task.Yield()</c>, or an
/// await of work the step itself completed) is held for the worker (<see cref="RunFirstStep"/>): the worker runs it as soon
/// as the step returns, on the same thread and in the same mailbox run, instead of sending it through the dispatcher's
/// queue and waiting for its own mailbox to be scheduled again. A held continuation is still watched by the starvation
/// guard, so a step that blocks until its own continuation has run (sync over async) is not left waiting: after the
/// guard's patience it is queued on the dispatcher, and after another, run on the ThreadPool.
/// </para>
/// </summary>
internal sealed class DispatcherResumeContext : JobStepContext
{
    private readonly IntakeDispatcher _dispatcher;

    // What the starvation guard watches for this worker's held continuations: one reusable entry, armed on every hold,
    // rather than one queue entry per continuation (the guard's tick would otherwise scan one per job).
    private readonly HeldWatch _watch;

    // Set around a job's first step (RunFirstStep .. TakeHeld), on the worker's thread only; Post reads them
    // and holds a continuation only when it is called on that same thread. _held is also read by the guard's run.
    private bool _holding;
    private int _holdingThread;
    private ClaimableRun? _held;

    public DispatcherResumeContext(IntakeDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        _watch = new HeldWatch(this);
    }

    /// <summary>Runs <paramref name="d"/> on the dispatcher's threads.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        var resumption = new Resumption(d, state);
        try
        {
            if (_holding && _held is null && Environment.CurrentManagedThreadId == _holdingThread)
            {
                // Not queued: the worker runs it when the step returns; the guard runs it if the step blocks instead.
                resumption.Arm();
                Volatile.Write(ref _held, resumption);
                _dispatcher.Resume(_watch);
                return;
            }

            _dispatcher.Resume(resumption); // armed, queued and watched by the executor's starvation guard
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or RejectedExecutionException)
        {
            // The dispatcher's threads are gone (its system is terminating): the job still resumes, on the ThreadPool.
            Volatile.Write(ref _held, null);
            resumption.Arm();
            ThreadPool.UnsafeQueueUserWorkItem(resumption, preferLocal: false);
        }
    }

    /// <summary>
    /// Runs <paramref name="job"/>'s code up to its first await with this context current, holding the first continuation
    /// posted on this thread meanwhile. The job runs what it holds itself when its code returns a task still running
    /// (<see cref="RunHeldHere"/>); whatever is still held afterwards (the code threw, or ended without waiting on what it
    /// posted) is queued on the dispatcher, as an unheld continuation is.
    /// </summary>
    internal Task? RunFirstStep(JobEnvelope job, object? state, JobHandlers handlers, IActorRef pool)
    {
        var outer = Current;
        SetSynchronizationContext(this);
        _holdingThread = Environment.CurrentManagedThreadId;
        _held = null;
        _holding = true;
        try
        {
            return job.Execute(state, handlers, pool);
        }
        finally
        {
            SetSynchronizationContext(outer);
            if (TakeHeld() is { } held && held.TryClaim())
            {
                Requeue(held);
            }
        }
    }

    /// <summary>Stops holding; returns the held continuation, if one was posted (the caller claims it, or the guard did).</summary>
    private ClaimableRun? TakeHeld()
    {
        _holding = false;
        var held = _held;
        if (held is not null)
        {
            Volatile.Write(ref _held, null);
            _watch.TryClaim(); // nothing left to watch for (a guard that claimed it first finds _held empty or claimed)
        }

        return held;
    }

    /// <summary>
    /// Called (through <see cref="JobStepContext.RunHeldStep"/>) by a job whose code returned a task still running: runs
    /// the continuation its step posted, if this context holds one, here and now, without the context (as the
    /// dispatcher would), so a job that only yielded ends without a state machine of the job's own to wait for it.
    /// </summary>
    private protected override void RunHeldHere()
    {
        if (TakeHeld() is { } held && held.TryClaim())
        {
            SetSynchronizationContext(null);
            try
            {
                RunHeld(held);
            }
            finally
            {
                SetSynchronizationContext(this);
            }
        }
    }

    /// <summary>Queues a held continuation its claimer will not run itself on the dispatcher, as an unheld one is.</summary>
    private void Requeue(ClaimableRun claimed) => Post(static run => ((ClaimableRun)run!).RunClaimed(), claimed);

    /// <summary>
    /// Runs a held continuation the caller claimed, on this thread, under the default task scheduler (a worker's batch
    /// may run inside Akka's task scheduler, which must not become the job's). A callback that throws (one posted by
    /// user code, not an await) is reported where the dispatcher reports a failing work item: it is rethrown there.
    /// </summary>
    private void RunHeld(ClaimableRun held)
    {
        Exception? failure = null;
        if (TaskScheduler.Current == TaskScheduler.Default)
        {
            try
            {
                held.RunClaimed();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }
        else
        {
            var task = new Task(static run => ((ClaimableRun)run!).RunClaimed(), held);
            task.RunSynchronously(TaskScheduler.Default);
            failure = task.Exception?.InnerException;
        }

        if (failure is not null)
        {
            Post(static f => ((ExceptionDispatchInfo)f!).Throw(), ExceptionDispatchInfo.Capture(failure));
        }
    }

    /// <summary>One context serves a worker for its whole life: a copy is the same context.</summary>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// The guard's entry for a worker's held continuations: armed (and its time reset) on every hold. When the guard
    /// claims it (the worker did not take its held continuation within the guard's patience: its thread was preempted,
    /// or the step blocks until that continuation has run), the held continuation goes to the dispatcher's queue as any
    /// other, watched again: another pool thread runs it, or, if none does in time either, the ThreadPool.
    /// </summary>
    private sealed class HeldWatch(DispatcherResumeContext owner) : ClaimableRun
    {
        public override bool HeldByCaller => true;

        internal override void RunClaimed()
        {
            if (Volatile.Read(ref owner._held) is { } held && held.TryClaim())
            {
                owner.Requeue(held);
            }
        }
    }

    /// <summary>
    /// A posted continuation, queued as the dispatcher's own work item and watched by its starvation guard; it runs once,
    /// on a pool thread, or on the ThreadPool if none took it in time.
    /// </summary>
    private sealed class Resumption(SendOrPostCallback callback, object? state) : ClaimableRun
    {
        internal override void RunClaimed() => callback(state);
    }
}
