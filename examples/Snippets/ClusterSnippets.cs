using Actorpool.Actors.Pools;
using Actorpool.Cluster.Pools;
using Akka.Actor;

namespace Actorpool.Examples.Snippets;

/// <summary>README "One pool across machines": the same definition on every node, jobs submitted from any.</summary>
public static class ClusterSnippets
{
    /// <summary>A job: price a basket.</summary>
    public sealed record PriceBasket(int Basket, int Items);

    /// <summary>Its result.</summary>
    public sealed record Priced(int Basket, decimal Total);

    /// <summary>A worker's state: a price list, loaded once per worker.</summary>
    public sealed class PriceList
    {
        public static PriceList Load() => new();

        public async ValueTask<Priced> PriceAsync(PriceBasket basket, CancellationToken cancellationToken)
        {
            await Task.Yield(); // a call to a tax service, say
            cancellationToken.ThrowIfCancellationRequested();
            return new Priced(basket.Basket, basket.Items * 2.5m);
        }
    }

    /// <summary>Spawns the pool on <paramref name="system"/> (a cluster node) and prices one basket.</summary>
    public static async Task<(Priced Priced, ClusterPoolStats Stats)> PriceOneAsync(ActorSystem system, string? role, CancellationToken cancellationToken)
    {
        #region cluster
        // On every node, the same definition: nodes with the role run workers, any node submits.
        var pool = system.SpawnClusterPool(new ClusterPoolOptions<PriceList, PriceBasket, Priced>
        {
            Node = new PoolOptions<PriceList> { Name = "pricing", Workers = 2, Init = _ => PriceList.Load() },
            Handle = (prices, basket, cancellationToken) => prices.PriceAsync(basket, cancellationToken),
            Role = role,                      // e.g. "pricing"; null: every member runs workers
            Delivery = Delivery.AtLeastOnce,  // a lost node's jobs run again elsewhere (AtMostOnce: NodeLostException)
        });
        var priced = await pool.RunAsync(new PriceBasket(42, Items: 3), cancellationToken);   // one outcome, from any node
        var stats = await pool.GetClusterStatsAsync();   // this node's submits, each worker node's share, re-dispatches
        #endregion
        return (priced, stats);
    }
}
