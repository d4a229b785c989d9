using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Cluster.Pools;
using Akka.Actor;

namespace Actorpool.Cluster.Tests;

/// <summary>A job message of the tests: sleeps <see cref="DelayMs"/> (asynchronously) and says where it ran.</summary>
public sealed record Work(int Id, int DelayMs, bool Fail = false);

/// <summary>The result: the job's id and the node that ran it.</summary>
public sealed record Ran(int Id, string Node);

/// <summary>A worker's state: its node, and how much slower than asked that node runs jobs.</summary>
public sealed class NodeState(string node, int slowdown)
{
    public string Node { get; } = node;

    public int Slowdown { get; } = slowdown;

    public int Cancelled;
}

internal static class ClusterPoolTestKit
{
    /// <summary>A <c>slowdown</c> that makes every job of that node fail.</summary>
    public const int FailEverything = 99;

    public static string Address(ActorSystem system) => Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();

    /// <summary>The same definition on every node; <paramref name="slowdown"/> says how much slower a node's workers are.</summary>
    public static ClusterPoolOptions<NodeState, Work, Ran> Definition(ActorSystem system, int slowdown = 1, Delivery delivery = Delivery.AtLeastOnce, int workers = 2, int credit = 4, string? role = null, PanicPolicy? panic = null, int prefetch = 64) => new()
    {
        Node = new PoolOptions<NodeState> { Name = "jobs", Workers = workers, Prefetch = prefetch, Init = _ => new NodeState(Address(system), slowdown), Panic = panic ?? new PanicPolicy() },
        Handle = async (state, work, token) =>
        {
            try
            {
                await Task.Delay(work.DelayMs * state.Slowdown, token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref state.Cancelled);
                throw;
            }

            return work.Fail || state.Slowdown == FailEverything ? throw new InvalidOperationException($"job {work.Id} failed on purpose") : new Ran(work.Id, state.Node);
        },
        Delivery = delivery,
        CreditPerWorker = credit,
        Role = role,
        StopDeadline = TimeSpan.FromSeconds(20),
    };

    /// <summary>Waits until <paramref name="pool"/>'s submitter knows <paramref name="count"/> worker nodes.</summary>
    public static Task WaitForNodesAsync<TJob, TResult>(ClusterPool<TJob, TResult> pool, int count)
        where TJob : notnull =>
        ClusterNodes.WaitUntilAsync(() => pool.GetClusterStatsAsync().Result.Nodes.Count == count, TimeSpan.FromSeconds(30), $"{count} worker nodes registered with {pool.Node}");

    /// <summary>The counter identity, with every job settled.</summary>
    public static void AssertSettled(ClusterPoolStats stats, long submitted)
    {
        Assert.Equal(submitted, stats.Submitted);
        Assert.Equal(0, stats.Pending);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled);
    }
}
