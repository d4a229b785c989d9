using System.Globalization;
#region quick-supervision
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Akka.Actor;
#endregion

namespace Actorpool.Examples.Snippets.QuickStart;

/// <summary>README quick start "A pool is a supervision tree": per-worker state, a failing job, the worker rebuilt, the counts.</summary>
public static class SupervisionQuickStart
{
    /// <summary>Runs the snippet in an actor system of its own; returns the parsed value and the stats it read.</summary>
    public static async Task<(int Parsed, PoolStats Stats)> RunAsync()
    {
        #region quick-supervision
        using var system = ActorSystem.Create("app");                 // the tree's root; one per process is usual
        var pool = system.SpawnPool(new PoolOptions<Parser>
        {
            Name = "parsers",
            Workers = 2,
            Init = index => new Parser(index),                          // each worker's own state: no locks
            Panic = PanicPolicy.Respawn(new RestartBudget(5, TimeSpan.FromMinutes(1))),   // a throw rebuilds the state
        });
        var parsed = await pool.RunAsync((p, ct) => p.ParseAsync("42", ct));   // 42; the worker is this job's until it completes
        try { await pool.RunAsync((p, ct) => p.ParseAsync("forty-two", ct)); }
        catch (FormatException) { }                                     // the caller gets the failure; the worker gets a new Parser
        var stats = await pool.GetStatsAsync();                         // submitted 2 = completed 1 + failed 1 + rejected 0 + cancelled 0
        await pool.DrainAsync(TimeSpan.FromSeconds(10));                // lets queued jobs finish, then stops the tree
        #endregion
        return (parsed, stats);
    }
}

/// <summary>A worker's state: it counts what it parsed (no lock: only its worker touches it).</summary>
public sealed class Parser(int index)
{
    /// <summary>The worker index this state was built for.</summary>
    public int Index => index;

    /// <summary>How many numbers this state parsed.</summary>
    public int Count { get; private set; }

    /// <summary>Parses <paramref name="text"/> as an invariant integer after an await (as a read from a stream would); throws <see cref="FormatException"/> otherwise.</summary>
    public async ValueTask<int> ParseAsync(string text, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var value = int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
        Count++;
        return value;
    }
}
