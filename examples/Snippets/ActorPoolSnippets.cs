using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Akka.Actor;

namespace Actorpool.Examples.Snippets;

/// <summary>README "Actor pools": spawn a pool, run sync and async jobs, read its stats, drain it.</summary>
public static class ActorPoolSnippets
{
    /// <summary>Runs the snippet in <paramref name="system"/>; returns the results and the stats it read.</summary>
    public static async Task<(string Row, string Page, PoolStats Stats)> RunAsync(ActorSystem system)
    {
        #region actor-pool
        var pool = system.SpawnPool(new PoolOptions<Handler>          // or Context.SpawnPool(...) inside an actor
        {
            Name = "requests",
            Workers = 3,                                              // or Scale = load => Scale.Active(...)
            Init = index => new Handler(index),                       // disposable state is disposed exactly once
            Panic = PanicPolicy.Respawn(new RestartBudget(3, TimeSpan.FromMinutes(1))),   // Kill | Respawn | Resume
            Backlog = 1000,
        });
        var row = await pool.RunAsync(async (h, token) => await h.QueryAsync("/index", token));   // async: the worker is the job's until it completes
        var page = await pool.RunAsync(h => h.Serve("/index"), timeout: TimeSpan.FromSeconds(5));  // sync; awaits backlog space, never blocks a thread
        if (!pool.TryRun(h => h.Serve("/x"), out var later)) { /* backlog full */ }
        var stats = await pool.GetStatsAsync();                        // submitted = completed + failed + rejected + cancelled
        await pool.DrainAsync(TimeSpan.FromSeconds(10));               // or StopAsync: cancel what is queued
        #endregion
        await later;
        return (row, page, stats);
    }
}

/// <summary>Stands in for a request handler: one per worker.</summary>
public sealed class Handler(int index)
{
    /// <summary>Serves <paramref name="path"/> synchronously.</summary>
    public string Serve(string path) => $"{path} from {index}";

    /// <summary>Serves <paramref name="path"/> after an asynchronous wait.</summary>
    public async Task<string> QueryAsync(string path, CancellationToken token)
    {
        await Task.Yield();
        token.ThrowIfCancellationRequested();
        return $"row {path} from {index}";
    }
}
