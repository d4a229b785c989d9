using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>A job submitted by message: its outcome is a message to the submitter (none when it was sent without a sender; it is still counted).</summary>
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

    public override void Execute(object? state, Func<object?, object, object?>? handle, IActorRef pool)
    {
        object? result;
        if (_submit.IsClosure)
        {
            result = _submit.RunOn(state);
        }
        else if (handle is not null)
        {
            result = handle(state, _submit.JobMessage!);
        }
        else
        {
            throw new NotSupportedException($"The pool has no Handle function for job message {_submit.JobMessage!.GetType().Name}.");
        }

        if (TryComplete())
        {
            _replyTo?.Tell(new JobCompleted(Id, result), pool);
        }
    }

    protected override void OnFailed(Exception cause, IActorRef pool) => _replyTo?.Tell(new JobFailed(Id, cause), pool);

    protected override void OnRejected(string reason, IActorRef pool) => _replyTo?.Tell(new JobRejected(Id, reason), pool);

    protected override void OnCancelled(string reason, Exception? cause, IActorRef pool) => _replyTo?.Tell(new JobCancelled(Id, reason), pool);
}
