using System.Collections.Concurrent;
#region quick-dynamic
using Actorpool.Dynamic;
#endregion

namespace Actorpool.Examples.Snippets.QuickStart;

/// <summary>README quick start "Dynamic pools": worker loops on threads of their own, as many as a scale function says.</summary>
public static class DynamicQuickStart
{
    /// <summary>Runs the snippet; returns the sum the workers took from the queue.</summary>
    public static async Task<int> RunAsync()
    {
        #region quick-dynamic
        var queue = new ConcurrentQueue<int>(Enumerable.Range(1, 100));   // work the workers poll for
        var total = 0;
        var system = DynamicSystem.FunctionWorker(index => () =>           // one loop per worker thread: no queue, no manager
            {
                if (queue.TryDequeue(out var item)) Interlocked.Add(ref total, item);
                return Decision.Again;                                        // loop again (Restart rebuilds this worker's data)
            })
            .WithScale(() => queue.IsEmpty ? Scale.Shutdown : Scale.Active(Math.Min(4, 1 + (queue.Count / 25))));   // asked as they loop
        await DynamicPool.StartBackground(system);                           // ends once the scale says Shutdown: total 5050
        #endregion
        return total;
    }
}
