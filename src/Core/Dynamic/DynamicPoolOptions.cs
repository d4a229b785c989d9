namespace Actorpool.Dynamic;

/// <summary>Immutable settings of one <see cref="DynamicPool"/> run; <see cref="Default"/> holds the defaults.</summary>
public sealed record DynamicPoolOptions
{
    /// <summary>The defaults: a 10 ms poll interval, system time, threads named <c>actorpool-dynamic-N</c>.</summary>
    public static DynamicPoolOptions Default { get; } = new();

    /// <summary>
    /// How often an idle (out-of-scale) worker wakes to ask the scale again. Idle workers never spin: they sleep
    /// until this interval elapses or the pool signals them (shutdown, panic, swap, a worker above them ending).
    /// Positive, at most <see cref="TimeLimits.MaxDelay"/>.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The clock that drives the poll interval; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Worker threads are named <c>{ThreadNamePrefix}-{index}</c>.</summary>
    public string ThreadNamePrefix { get; init; } = "actorpool-dynamic";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        TimeLimits.Check(nameof(PollInterval), PollInterval, TimeLimits.MaxDelay, positive: true);

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "TimeProvider must not be null.");
        }

        if (string.IsNullOrWhiteSpace(ThreadNamePrefix))
        {
            throw new ArgumentException(
                $"ThreadNamePrefix must not be empty, was '{ThreadNamePrefix}'.", nameof(ThreadNamePrefix));
        }
    }
}
