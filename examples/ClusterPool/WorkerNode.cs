using Actorpool.Cluster.Pools;
using Akka.Actor;

namespace Actorpool.Examples.ClusterPool;

/// <summary>A node the example launches: joins the seed, runs its share of the pool, leaves when its input closes.</summary>
public static class WorkerNode
{
    public static async Task<int> RunAsync(string seed, string name, TextWriter output)
    {
        var system = ActorSystem.Create("shop", Pricing.NodeConfig());
        await Akka.Cluster.Cluster.Get(system).JoinAsync(Address.Parse(seed)).WaitAsync(TimeSpan.FromSeconds(60));
        system.SpawnClusterPool(Pricing.Pool(system));
        output.WriteLine($"ready {name} {Akka.Cluster.Cluster.Get(system).SelfAddress}");
        output.Flush();

        // Runs until the launching node closes this process's input (a graceful leave) or kills it.
        await Task.Run(() => Console.In.ReadToEnd());
        await system.Terminate(); // CoordinatedShutdown: finishes the jobs this node holds, then leaves the cluster
        return 0;
    }
}
