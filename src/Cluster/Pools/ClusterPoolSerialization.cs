using Akka.Configuration;

namespace Actorpool.Cluster.Pools;

/// <summary>
/// Optional configuration that frames a cluster pool's protocol messages in a compact binary form instead of JSON
/// (the jobs and results inside stay JSON). Include it in every node's configuration, or in none: a node without it
/// cannot read what the others send. Akka registers serializers only from configuration when a system starts.
/// </summary>
public static class ClusterPoolSerialization
{
    /// <summary>The serializer, its binding to the protocol messages and its identifier (7341), as HOCON.</summary>
    public static string Hocon { get; } = """
        akka.actor {
          serializers.actorpool-cluster = "Actorpool.Cluster.Protocol.ProtocolSerializer, Actorpool.Cluster"
          serialization-bindings { "Actorpool.Cluster.Protocol.IProtocolMessage, Actorpool.Cluster" = actorpool-cluster }
          serialization-identifiers { "Actorpool.Cluster.Protocol.ProtocolSerializer, Actorpool.Cluster" = 7341 }
        }
        """;

    /// <summary><see cref="Hocon"/> parsed: <c>ConfigurationFactory.ParseString(...).WithFallback(ClusterPoolSerialization.Config)</c>.</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString(Hocon);
}
