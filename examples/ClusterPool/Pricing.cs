using Actorpool.Actors.Pools;
using Actorpool.Cluster.Pools;
using Akka.Actor;
using Akka.Configuration;

namespace Actorpool.Examples.ClusterPool;

/// <summary>A job: price one basket (it crosses nodes as JSON).</summary>
public sealed record PriceBasket(int Basket, int Items);

/// <summary>Its result, with the node that priced it.</summary>
public sealed record Priced(int Basket, decimal Total, string Node);

/// <summary>A worker's state: a price list loaded once per worker, and the node it lives on.</summary>
public sealed class PriceList(string node)
{
    public string Node { get; } = node;

    public decimal PriceOf(int item) => 1m + (item % 7) * 0.5m;
}

/// <summary>What every node shares: its configuration and the pool's definition.</summary>
public static class Pricing
{
    /// <summary>A cluster node on loopback with a port of its own; a node that stops answering is downed within seconds.</summary>
    public static Config NodeConfig() => ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
          cluster {
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver { active-strategy = keep-majority, stable-after = 2s }
            failure-detector { heartbeat-interval = 250ms, acceptable-heartbeat-pause = 3s }
          }
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """);

    /// <summary>The same definition on every node: two workers per node, each with its own price list.</summary>
    public static ClusterPoolOptions<PriceList, PriceBasket, Priced> Pool(ActorSystem system)
    {
        var node = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
        return new ClusterPoolOptions<PriceList, PriceBasket, Priced>
        {
            Node = new PoolOptions<PriceList> { Name = "pricing", Workers = 2, Init = _ => new PriceList(node) },
            Handle = async (prices, job, cancellationToken) =>
            {
                await Task.Delay(2, cancellationToken); // a call to a tax service, say
                var total = Enumerable.Range(job.Basket, job.Items).Sum(prices.PriceOf);
                return new Priced(job.Basket, total, prices.Node);
            },
            CreditPerWorker = 8,
            StopDeadline = TimeSpan.FromSeconds(20),
        };
    }
}
