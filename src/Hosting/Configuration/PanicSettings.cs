using Actorpool.Actors.Supervision;

namespace Actorpool.Hosting.Configuration;

/// <summary>
/// The configuration of a pool's panic policy (<c>Actorpool:Pools:&lt;name&gt;:Panic</c>); absent values keep what code set.
/// </summary>
public sealed class PanicSettings
{
    /// <summary>Kill, Respawn or Resume (case-insensitive); a string so that a wrong name fails validation by name.</summary>
    public string? Kind { get; set; }

    /// <summary>The parsed <see cref="Kind"/>, or <c>null</c> when absent or not a <see cref="PanicKind"/> name.</summary>
    internal PanicKind? ParsedKind =>
        Enum.TryParse<PanicKind>(Kind, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(Kind, out _) ? kind : null;

    /// <summary>Restarts allowed within <see cref="Window"/> (at least 0); one more kills the pool.</summary>
    public int? MaxRestarts { get; set; }

    /// <summary>The sliding window restarts are counted in (positive, at most <see cref="TimeLimits.MaxDelay"/>).</summary>
    public TimeSpan? Window { get; set; }

    /// <summary>Delay before the first restart, doubling per consecutive restart (0 to <see cref="TimeLimits.MaxDelay"/>).</summary>
    public TimeSpan? InitialBackoff { get; set; }

    /// <summary>Upper bound on the restart delay (0 to <see cref="TimeLimits.MaxDelay"/>).</summary>
    public TimeSpan? MaxBackoff { get; set; }

    /// <summary>How many times a failed job is retried on another worker (at least 0).</summary>
    public int? JobRetries { get; set; }
}
