using Actorpool.Dynamic;

namespace Actorpool.Examples.Snippets;

/// <summary>README "Dynamic pools": a function-worker system started in the background and awaited.</summary>
public static class DynamicPoolSnippets
{
    /// <summary>Runs the snippet: ten workers greet for five seconds, then the pool shuts down.</summary>
    public static async Task RunAsync()
    {
        #region dynamic-pool
        var system = DynamicSystem.FunctionWorker(i => () => { Console.WriteLine($"hi from {i}"); return Decision.Again; })
            .WithThreads(10)                                  // settable later: system.SetThreads(4)
            .ShutdownAfter(TimeSpan.FromSeconds(5))
            .CacheScale(TimeSpan.FromMilliseconds(1));
        var pool = DynamicPool.StartBackground(system);       // or DynamicPool.RunForeground(system)
        await pool;                                           // PoolPanicException lists every worker exception
        #endregion
    }
}
