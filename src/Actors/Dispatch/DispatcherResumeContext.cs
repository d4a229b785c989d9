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
/// </summary>
internal sealed class DispatcherResumeContext(IntakeDispatcher dispatcher) : SynchronizationContext
{
    /// <summary>Runs <paramref name="d"/> on the dispatcher's threads.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        var resumption = new Resumption(d, state);
        try
        {
            dispatcher.Resume(resumption); // armed, queued and watched by the executor's starvation guard
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or RejectedExecutionException)
        {
            // The dispatcher's threads are gone (its system is terminating): the job still resumes, on the ThreadPool.
            resumption.Arm();
            ThreadPool.UnsafeQueueUserWorkItem(resumption, preferLocal: false);
        }
    }

    /// <summary>One context serves a worker for its whole life: a copy is the same context.</summary>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// A posted continuation, queued as the dispatcher's own work item and watched by its starvation guard; it runs once,
    /// on a pool thread, or on the ThreadPool if none took it in time.
    /// </summary>
    private sealed class Resumption(SendOrPostCallback callback, object? state) : ClaimableRun
    {
        internal override void RunClaimed() => callback(state);
    }
}
