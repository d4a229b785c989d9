using Actorpool.Actors.Jobs;
using Akka.Actor;
using Akka.Dispatch;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// The work-stealing dispatcher's Akka dispatcher. A job sent to a pool supervisor (whose queue is a
/// <see cref="PoolMessageQueue"/>) goes into its intake without asking to schedule the mailbox: only the sender
/// that queues the intake's <see cref="JobsArrived"/> marker dispatches it. Akka's own path would schedule the
/// supervisor's mailbox for every job that finds it idle, a run that then finds nothing to do.
/// </summary>
internal sealed class IntakeDispatcher(
    MessageDispatcherConfigurator configurator,
    string id,
    int throughput,
    long? throughputDeadlineTime,
    ExecutorServiceFactory executorServiceFactory,
    TimeSpan shutdownTimeout)
    : Akka.Dispatch.Dispatcher(configurator, id, throughput, throughputDeadlineTime, executorServiceFactory, shutdownTimeout)
{
    public override void Dispatch(ActorCell cell, Envelope envelope)
    {
        if (envelope.Message is Submit or JobEnvelope && cell.Mailbox?.MessageQueue is PoolMessageQueue intake)
        {
            if (intake.AddJob(cell.Self, envelope))
            {
                base.Dispatch(cell, new Envelope(JobsArrived.Instance, ActorRefs.NoSender));
            }

            return;
        }

        base.Dispatch(cell, envelope);
    }

    /// <summary>
    /// Queues an async job's continuation straight on the executor (not through <c>Schedule</c>, which wraps the
    /// runnable), so the executor sees it is a <see cref="ClaimableRun"/> and has its starvation guard watch it.
    /// </summary>
    internal void Resume(ClaimableRun continuation) => ExecuteTask(continuation);
}
