using System.Text;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Akka.Actor;

namespace Actorpool.Examples.Snippets;

/// <summary>
/// Draws a live pool as the supervision tree it is (a Mermaid graph for README.md): the pool's supervisor under the
/// system's guardian and every worker actor found under the supervisor. The README's picture is this method's output
/// for <see cref="SpawnPictured"/>'s pool; a test in tests/Actorpool.Examples.Tests keeps the two equal.
/// </summary>
public static class SupervisionTreePicture
{
    /// <summary>The pool the README pictures: three workers with state, respawned within a budget.</summary>
    public static PoolRef<int> SpawnPictured(ActorSystem system) => system.SpawnPool(new PoolOptions<int>
    {
        Name = "requests",
        Workers = 3,
        Init = index => index,
        Panic = PanicPolicy.Respawn(new RestartBudget(3, TimeSpan.FromMinutes(1))),
        Backlog = 1000,
    });

    /// <summary>The Mermaid text of <paramref name="pool"/>'s tree, found by resolving its actors (workers in index order).</summary>
    public static async Task<string> DrawAsync<TState>(ActorSystem system, PoolRef<TState> pool, int maxWorkers, TimeSpan timeout)
    {
        await pool.Started.WaitAsync(timeout).ConfigureAwait(false);
        var workers = new List<string>();
        for (var index = 0; index < maxWorkers; index++)
        {
            try
            {
                var worker = await system.ActorSelection(pool.Ref.Path / $"worker-{index}").ResolveOne(timeout).ConfigureAwait(false);
                workers.Add(worker.Path.Name);
            }
            catch (ActorNotFoundException)
            {
                // no worker at this index
            }
        }

        var text = new StringBuilder();
        text.AppendLine("graph TD");
        text.AppendLine($"    callers[\"callers: RunAsync, TryRun, Tell(Submit)\"] -->|\"jobs, bounded backlog\"| pool");
        text.AppendLine($"    guardian[\"{pool.Ref.Path.Parent.ToStringWithoutAddress()} (Akka guardian)\"] --> pool[\"{pool.Ref.Path.Name}: pool supervisor, panic policy\"]");
        foreach (var name in workers)
        {
            text.AppendLine($"    pool -->|\"supervises, pulls work to\"| {name.Replace("-", "", StringComparison.Ordinal)}[\"{name}: actor with its own state\"]");
        }

        text.AppendLine("    pool -.->|\"one outcome per job\"| callers");
        return text.ToString();
    }
}
