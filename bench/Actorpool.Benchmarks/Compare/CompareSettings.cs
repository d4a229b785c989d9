namespace Actorpool.Benchmarks.Compare;

/// <summary>What the <c>compare</c> command was asked to do (parsed by <see cref="Cli.BenchCommandLine"/>).</summary>
public sealed record CompareSettings
{
    /// <summary>Fewer trials per system (<see cref="Scenario.Trials"/> with <c>quick: true</c>) and smaller inputs where a scenario has them.</summary>
    public bool Quick { get; init; }

    /// <summary>The scenarios to run by name; <c>null</c> runs all of them.</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Only list the scenarios (name, metric, target); run nothing.</summary>
    public bool List { get; init; }

    /// <summary>Where to write the rows as a JSON array (for plots); <c>null</c> writes none.</summary>
    public FileInfo? Json { get; init; }
}
