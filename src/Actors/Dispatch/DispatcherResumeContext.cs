using Akka.Dispatch;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// Where an asynchronous job resumes after an <c>await</c>: on its pool's work-stealing dispatcher, the threads its
/// worker runs on, rather than on the .NET ThreadPool. Without it every await of a job hands the job to a ThreadPool
/// thread, and back to the dispatcher for the worker's next job: on a machine with as many dispatcher threads as cores,
/// the two sets of threads then compete for the cores (the dispatcher's threads spin while they wait for the worker's
/// mailbox). Current while an asynchronous job's code runs: from its start on the worker until its first await, and
/// in every continuation queued here (so each later await comes back here too); never while the worker itself awaits
/// the job's task, which resumes through Akka's own task scheduler. Code that uses <c>ConfigureAwait(false)</c> still
/// resumes on the ThreadPool.
/// </summary>
internal sealed class DispatcherResumeContext(MessageDispatcher dispatcher) : SynchronizationContext
{
    /// <summary>Runs <paramref name="d"/> on the dispatcher's threads.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        var resumption = new Resumption(this, d, state);
        try
        {
            dispatcher.Schedule(resumption);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or RejectedExecutionException)
        {
            // The dispatcher's threads are gone (its system is terminating): the job still resumes, on the ThreadPool.
            ThreadPool.UnsafeQueueUserWorkItem(resumption, preferLocal: false);
        }
    }

    /// <summary>One context serves a worker for its whole life: a copy is the same context.</summary>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>A posted continuation, queued as the dispatcher's own work item; it runs with its context current.</summary>
    private sealed class Resumption(DispatcherResumeContext context, SendOrPostCallback callback, object? state) : IRunnable
    {
        public void Run()
        {
            var outer = Current;
            SetSynchronizationContext(context);
            try
            {
                callback(state);
            }
            finally
            {
                SetSynchronizationContext(outer);
            }
        }

        public void Execute() => Run();
    }
}
