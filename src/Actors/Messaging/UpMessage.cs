namespace Actorpool.Actors.Messaging;

/// <summary>
/// One message a worker sent up: its value, the index of the worker that sent it, and the
/// <see cref="TimeProvider.GetTimestamp"/> reading taken when the send was called (not when it was queued).
/// </summary>
public readonly record struct UpMessage<TUp>(TUp Value, int Worker, long Timestamp);

/// <summary>
/// Ask an up/down pool's actor (<c>pool.Ref</c>) for a burst: it replies to the sender with one
/// <see cref="UpBurst{TUp}"/> holding what <c>RecvBurst</c> would return at the moment the request is handled.
/// </summary>
public sealed class RequestUpBurst
{
    private RequestUpBurst()
    {
    }

    /// <summary>The only instance.</summary>
    public static RequestUpBurst Instance { get; } = new();
}

/// <summary>The reply to <see cref="RequestUpBurst"/>: the up messages stamped at or before <paramref name="Cutoff"/>, in arrival order.</summary>
public sealed record UpBurst<TUp>(IReadOnlyList<UpMessage<TUp>> Messages, long Cutoff);

/// <summary>What a stop returned: every up message that was still queued or in flight, and every worker failure since the last stop.</summary>
public sealed record UpDownStopReport<TUp>(IReadOnlyList<UpMessage<TUp>> Messages, IReadOnlyList<Exception> Failures)
{
    /// <summary>Throws an <see cref="UpDownStopException{TUp}"/> holding every failure (and the messages) when there was any.</summary>
    public void ThrowIfFailed()
    {
        if (Failures.Count > 0)
        {
            throw new UpDownStopException<TUp>(Messages, Failures);
        }
    }
}

/// <summary>
/// Workers of an up/down pool failed before it stopped: the inner exceptions are the failures, and
/// <see cref="Messages"/> holds the up messages the stop collected, so throwing never loses them.
/// </summary>
public sealed class UpDownStopException<TUp> : AggregateException
{
    /// <summary>Creates the exception from a stop's messages and failures.</summary>
    public UpDownStopException(IReadOnlyList<UpMessage<TUp>> messages, IReadOnlyList<Exception> failures)
        : base($"{failures.Count} up/down worker failure(s).", failures)
    {
        Messages = messages;
    }

    /// <summary>The up messages that remained when the pool stopped, in arrival order.</summary>
    public IReadOnlyList<UpMessage<TUp>> Messages { get; }
}
