namespace Actorpool.Dynamic;

/// <summary>
/// How many workers a pool should have, as answered by a scale function (dynpool style). A pool asks
/// often and follows the answer: workers start in index order and end highest index first.
/// </summary>
/// <remarks>A value type with no allocation, so that it is cheap to return from hot scale functions.</remarks>
public readonly record struct Scale
{
    private Scale(ScaleKind kind, int workers, int? maxInactive)
    {
        Kind = kind;
        Workers = workers;
        MaxInactive = maxInactive;
    }

    /// <summary>The shape of this answer.</summary>
    public ScaleKind Kind { get; }

    /// <summary>How many workers should be calling <c>Work</c>; 0 for <see cref="Shutdown"/>.</summary>
    public int Workers { get; }

    /// <summary>How many idle (inactive) threads may stay alive beyond <see cref="Workers"/>; <c>null</c> means no limit.</summary>
    public int? MaxInactive { get; }

    /// <summary><c>true</c> when this answer ends the run.</summary>
    public bool IsShutdown => Kind == ScaleKind.Shutdown;

    /// <summary>The shutdown signal: every worker ends and the run is over.</summary>
    public static Scale Shutdown { get; } = new(ScaleKind.Shutdown, 0, 0);

    /// <summary><paramref name="workers"/> workers run; idle threads beyond them end.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is negative.</exception>
    public static Scale Active(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        return new Scale(ScaleKind.Active, workers, 0);
    }

    /// <summary><paramref name="active"/> workers run; up to <paramref name="maxInactive"/> idle threads stay warm.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Either count is negative.</exception>
    public static Scale Mixed(int active, int maxInactive)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(active);
        ArgumentOutOfRangeException.ThrowIfNegative(maxInactive);
        return new Scale(ScaleKind.Mixed, active, maxInactive);
    }

    /// <summary><paramref name="active"/> workers run; idle threads are never ended.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="active"/> is negative.</exception>
    public static Scale NoTerm(int active)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(active);
        return new Scale(ScaleKind.NoTerm, active, null);
    }

    /// <summary>A readable form such as <c>Mixed(3, 1)</c>.</summary>
    public override string ToString() => Kind switch
    {
        ScaleKind.Active => $"Active({Workers})",
        ScaleKind.Mixed => $"Mixed({Workers}, {MaxInactive})",
        ScaleKind.NoTerm => $"NoTerm({Workers})",
        _ => "Shutdown",
    };
}
