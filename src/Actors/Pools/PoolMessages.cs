namespace Actorpool.Actors.Pools;

/// <summary>Sent to a pool: every live worker handles <paramref name="Message"/> with the pool's <c>Handle</c> function (no outcome).</summary>
public sealed record PoolBroadcast(object Message);

/// <summary>Sent to a pool: it replies with a <see cref="PoolStats"/> snapshot.</summary>
public sealed class GetPoolStats
{
    private GetPoolStats()
    {
    }

    /// <summary>The one instance.</summary>
    public static GetPoolStats Instance { get; } = new();
}

/// <summary>Sent to a pool: accept nothing new, finish everything queued, stop, then reply with a <see cref="PoolStopReport"/>.</summary>
/// <param name="Deadline">After this long, queued and running jobs are cancelled and the report says so; <c>null</c> = no limit.</param>
/// <exception cref="ArgumentOutOfRangeException">The deadline is not positive or exceeds <see cref="TimeLimits.MaxDelay"/>.</exception>
public sealed record DrainPool(TimeSpan? Deadline = null)
{
    /// <summary>After this long, queued and running jobs are cancelled; positive, at most <see cref="TimeLimits.MaxDelay"/>; <c>null</c> = no limit.</summary>
    public TimeSpan? Deadline { get; init; } = StopDeadline.Check(Deadline);
}

/// <summary>Sent to a pool: cancel every job not yet started, finish the running ones, stop, then reply with a <see cref="PoolStopReport"/>.</summary>
/// <param name="Deadline">After this long, running jobs are cancelled too and the report says so; <c>null</c> = no limit.</param>
/// <exception cref="ArgumentOutOfRangeException">The deadline is not positive or exceeds <see cref="TimeLimits.MaxDelay"/>.</exception>
public sealed record StopPool(TimeSpan? Deadline = null)
{
    /// <summary>After this long, running jobs are cancelled too; positive, at most <see cref="TimeLimits.MaxDelay"/>; <c>null</c> = no limit.</summary>
    public TimeSpan? Deadline { get; init; } = StopDeadline.Check(Deadline);
}

/// <summary>The one rule for a stop's deadline, shared by the messages and the Task facade.</summary>
internal static class StopDeadline
{
    public static TimeSpan? Check(TimeSpan? deadline)
    {
        if (deadline is { } d)
        {
            TimeLimits.Check("Deadline", d, TimeLimits.MaxDelay, positive: true);
        }

        return deadline;
    }
}

/// <summary>Sent to the actor that spawned a pool (with <c>Context.SpawnPool</c>) when the pool was killed by its panic policy.</summary>
public sealed record PoolFailed(string Name, Exception Cause) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A Drain or Stop from the Task facade, answered through <paramref name="Reply"/>.</summary>
internal sealed record StopRequest(bool Drain, TimeSpan? Deadline, TaskCompletionSource<PoolStopReport> Reply) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Timer ticks the supervisor sends itself.</summary>
internal sealed class PoolTick : Akka.Actor.INoSerializationVerificationNeeded
{
    private PoolTick()
    {
    }

    public static PoolTick Scale { get; } = new();

    public static PoolTick Deadline { get; } = new();

    /// <summary>Hand out the jobs accepted since the last dispatch (so a burst of submits goes out in batches).</summary>
    public static PoolTick Dispatch { get; } = new();
}
