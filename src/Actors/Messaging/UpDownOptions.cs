using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// Settings of an up/down pool: how many up messages may wait for the manager, the clock that stamps them,
/// and the panic policy applied to workers that throw.
/// </summary>
public sealed record UpDownOptions
{
    /// <summary>The default <see cref="Capacity"/>: 1024 up messages.</summary>
    public static int DefaultCapacity { get; } = 1024;

    /// <summary>
    /// How many up messages may wait for the manager; a worker that sends while the queue holds this many waits
    /// (actor workers without holding a thread). Must be at least 1.
    /// </summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary>The clock whose <see cref="TimeProvider.GetTimestamp"/> stamps every up message and cuts off a burst.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>What a worker that throws costs while the pool runs; every failure is also reported at stop.</summary>
    public PanicPolicy Panic { get; init; } = PanicPolicy.Respawn();

    /// <summary>Name of the pool (its supervisor actor and its worker threads); <c>null</c> = a generated name.</summary>
    public string? Name { get; init; }

    /// <summary>The defaults: capacity 1024, the system clock, respawn within <see cref="RestartBudget.Default"/>.</summary>
    public static UpDownOptions Default { get; } = new();

    /// <summary>Returns a copy with <see cref="Capacity"/> set to <paramref name="capacity"/>.</summary>
    public UpDownOptions WithCapacity(int capacity) => this with { Capacity = capacity };

    /// <summary>Returns a copy with <see cref="Panic"/> set to <paramref name="panic"/>.</summary>
    public UpDownOptions WithPanic(PanicPolicy panic) => this with { Panic = panic };

    /// <summary>Returns a copy with <see cref="TimeProvider"/> set to <paramref name="timeProvider"/>.</summary>
    public UpDownOptions WithTimeProvider(TimeProvider timeProvider) => this with { TimeProvider = timeProvider };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, $"Capacity must be at least 1, was {Capacity}.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "TimeProvider must not be null.");
        }

        if (Panic is null)
        {
            throw new ArgumentNullException(nameof(Panic), "Panic must not be null.");
        }

        if (Name is not null && string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException($"Name must not be blank, was '{Name}'.", nameof(Name));
        }
    }
}
