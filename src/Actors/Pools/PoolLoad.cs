namespace Actorpool.Actors.Pools;

/// <summary>The load a pool reports to its scale function: jobs waiting, and workers busy, idle and alive.</summary>
/// <param name="Backlog">Jobs waiting in the supervisor, not yet handed to a worker.</param>
/// <param name="Busy">Workers with at least one job handed to them.</param>
/// <param name="Idle">Ready workers with no job.</param>
/// <param name="Workers">Workers alive and not retiring.</param>
public readonly record struct PoolLoad(int Backlog, int Busy, int Idle, int Workers);
