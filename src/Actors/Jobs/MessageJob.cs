using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>
/// A job submitted by message whose <see cref="Submit"/> instance was submitted before (a resend, or the same
/// instance sent to several pools): the first submission of an instance is its own envelope; later ones get this
/// wrapper. Its outcome is a message to the submitter (none when it was sent without a sender; it is still counted).
/// </summary>
internal sealed class MessageJob : JobEnvelope
{
    private readonly Submit _submit;
    private readonly IActorRef? _replyTo;

    public MessageJob(Submit submit, IActorRef? replyTo, PoolCounters counters)
        : base(submit.JobId, counters)
    {
        _submit = submit;
        _replyTo = replyTo;
    }

    internal override Task? Execute(object? state, JobHandlers handlers, IActorRef pool) =>
        CompleteWith(_submit.Start(state, handlers), _replyTo, pool);

    internal override bool IsAsync(JobHandlers handlers) => _submit.IsAsync(handlers);

    private protected override void OnFailed(Exception cause, IActorRef pool) => _replyTo?.Tell(new JobFailed(Id, cause), pool);

    private protected override void OnRejected(string reason, IActorRef pool) => _replyTo?.Tell(new JobRejected(Id, reason), pool);

    private protected override void OnCancelled(string reason, Exception? cause, IActorRef pool) => _replyTo?.Tell(new JobCancelled(Id, reason), pool);
}
