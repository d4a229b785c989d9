using Akka.Actor;
#region quick-backpressure
using Actorpool.Actors.Pools;
#endregion

namespace Actorpool.Examples.Snippets.QuickStart;

/// <summary>README quick start "Backpressure": a small backlog refuses what it cannot hold; RunAsync waits for room.</summary>
public static class BackpressureQuickStart
{
    /// <summary>Runs the snippet in <paramref name="system"/>; returns how many of the 20 offers were accepted, the awaited job's result and the stats.</summary>
    public static async Task<(int Accepted, int Last, PoolStats Stats)> RunAsync(ActorSystem system)
    {
        #region quick-backpressure
        var pool = system.SpawnPool(new PoolOptions<Resizer>
        {
            Name = "resizers",
            Workers = 1,
            Backlog = 4,                                                // at most 4 jobs wait; nothing grows without bound
            Init = _ => new Resizer(),
        });
        var accepted = new List<Task<int>>();
        foreach (var id in Enumerable.Range(0, 20))
        {
            if (pool.TryRun(r => r.ResizeAsync(id), out Task<int> done)) accepted.Add(done);   // false: full (counted as rejected)
        }
        var last = await pool.RunAsync(r => r.ResizeAsync(99));         // waits for room, holding no thread
        await Task.WhenAll(accepted);                                   // a handful ran; the others were refused at once
        #endregion
        var stats = await pool.GetStatsAsync();
        await pool.DrainAsync(TimeSpan.FromSeconds(10));
        return (accepted.Count, last, stats);
    }
}

/// <summary>Stands in for slow work (50 ms of waiting per image).</summary>
public sealed class Resizer
{
    /// <summary>"Resizes" image <paramref name="id"/>: returns it after 50 ms.</summary>
    public async Task<int> ResizeAsync(int id)
    {
        await Task.Delay(50).ConfigureAwait(false);
        return id;
    }
}
