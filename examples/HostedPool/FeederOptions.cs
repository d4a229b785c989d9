namespace Actorpool.Examples.HostedPool;

/// <summary>How the example's feeder submits jobs (section <c>Feeder</c>).</summary>
public sealed class FeederOptions
{
    /// <summary>Pause between submissions.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Jobs in flight at most (keeps the pool's backlog from filling, so no job is rejected).</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Every n-th job throws, to show failed outcomes and worker respawns; 0 = never.</summary>
    public int FailEvery { get; set; } = 50;

    /// <summary>Stop the host after this many jobs; <c>null</c> = run until Ctrl-C / SIGTERM.</summary>
    public int? MaxJobs { get; set; }
}
