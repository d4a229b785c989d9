using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;

namespace Actorpool.Cluster.Tests;

/// <summary>
/// Passes a message by reference through Akka's serialize-messages check. Akka.NET 1.5.75 cannot round-trip its own
/// <c>ClusterEvent.ReachabilityChanged</c> (a local event of the cluster extension that never crosses a node) through
/// its JSON serializer, so with serialize-messages = on the split-brain resolver never learns that a node is
/// unreachable and never downs it. The test nodes bind that one Akka type here; every other message, ours included,
/// is still serialized for real.
/// </summary>
public sealed class ByReferenceSerializer(ExtendedActorSystem system) : Serializer(system)
{
    private static readonly ConcurrentDictionary<Guid, object> InFlight = new();

    public override int Identifier => 9_311;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        var key = Guid.NewGuid();
        InFlight[key] = obj;
        return key.ToByteArray();
    }

    public override object FromBinary(byte[] bytes, Type type) =>
        InFlight.TryRemove(new Guid(bytes), out var obj) ? obj : throw new InvalidOperationException("A by-reference message was read twice or crossed a process.");
}
