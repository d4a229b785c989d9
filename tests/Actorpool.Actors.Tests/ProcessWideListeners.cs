namespace Actorpool.Actors.Tests;

/// <summary>
/// Specs that attach listeners to the process-wide "Actorpool" meter or activity source (a job then captures what they
/// need), and the spec that counts a job's allocations, which must not run while they listen: run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideListeners
{
    public const string Name = "process-wide listeners";
}
