using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace Actorpool.Cluster.Tests;

/// <summary>
/// Real cluster nodes in this process: actor systems on 127.0.0.1 with port 0, joined in code, with short
/// failure-detector and split-brain-resolver timeouts so a lost node is downed within seconds. Every message
/// between actors is serialized (serialize-messages = on), as it would be between machines.
/// </summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private readonly List<ActorSystem> _nodes = [];

    public IReadOnlyList<ActorSystem> Nodes => _nodes;

    public ActorSystem this[int index] => _nodes[index];

    public static Config NodeConfig(bool killable, params string[] roles) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = cluster
          actor.serialize-messages = on
          actor.serializers.by-reference = "Actorpool.Cluster.Tests.ByReferenceSerializer, Actorpool.Cluster.Tests"
          actor.serialization-bindings { "Akka.Cluster.ClusterEvent+ReachabilityChanged, Akka.Cluster" = by-reference }
          actor.serialization-identifiers { "Actorpool.Cluster.Tests.ByReferenceSerializer, Actorpool.Cluster.Tests" = 9311 }
          remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
          cluster {
            roles = [{{string.Join(",", roles.Select(r => "\"" + r + "\""))}}]
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver { active-strategy = keep-majority, stable-after = 2s }
            failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 4s, threshold = 8.0 }
            unreachable-nodes-reaper-interval = 250ms
            gossip-interval = 200ms
            leader-actions-interval = 200ms
            periodic-tasks-initial-delay = 100ms
            retry-unsuccessful-join-after = 1s
          }
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          coordinated-shutdown.run-by-actor-system-terminate = {{(killable ? "off" : "on")}}
          coordinated-shutdown.phases.service-requests-done.timeout = 20s
          coordinated-shutdown.phases.before-cluster-shutdown.timeout = 20s
        }
        """);

    /// <summary>Starts <paramref name="count"/> nodes and waits until all are Up.</summary>
    public static async Task<ClusterNodes> StartAsync(int count, int? killable = null)
    {
        var nodes = new ClusterNodes();
        for (var i = 0; i < count; i++)
        {
            await nodes.AddAsync(killable == i);
        }

        return nodes;
    }

    public Task<ActorSystem> AddAsync(params string[] roles) => AddAsync(killable: false, roles);

    /// <summary>
    /// Starts one more node and waits until every node sees it Up. A killable node's <c>Terminate</c> skips
    /// CoordinatedShutdown: it vanishes without leaving, as a crashed process does.
    /// </summary>
    public async Task<ActorSystem> AddAsync(bool killable, params string[] roles)
    {
        var system = ActorSystem.Create("pool", NodeConfig(killable, roles));
        _nodes.Add(system);
        var seed = Akka.Cluster.Cluster.Get(_nodes[0]).SelfAddress;
        await Akka.Cluster.Cluster.Get(system).JoinAsync(seed).WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => _nodes.All(n => UpMembers(n) == _nodes.Count(s => !s.WhenTerminated.IsCompleted)), TimeSpan.FromSeconds(30), "every node sees the new node Up");
        return system;
    }

    /// <summary>
    /// A killable node vanishes as a crashed process does: its remoting stops first (so no DeathWatch notification
    /// leaves it), then its actor system, without CoordinatedShutdown or a Leave. The others must notice it is
    /// unreachable and down it through the split-brain resolver.
    /// </summary>
    public async Task KillAsync(int index)
    {
        var node = (ExtendedActorSystem)_nodes[index];
        await ((Akka.Remote.IRemoteActorRefProvider)node.Provider).Transport.Shutdown().WaitAsync(TimeSpan.FromSeconds(30));
        await node.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public static int UpMembers(ActorSystem system) =>
        system.WhenTerminated.IsCompleted ? -1 : Akka.Cluster.Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up);

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}
