using Akka.Actor;

namespace Actorpool.Cluster.Protocol;

/// <summary>Sends protocol messages as their frames (see <see cref="ProtocolCodec"/>).</summary>
internal static class ProtocolSend
{
    public static void Send(this IActorRef target, IProtocolMessage message, IActorRef? sender) => target.Tell(ProtocolCodec.Encode(message), sender);

    public static void Send(this ActorSelection target, IProtocolMessage message, IActorRef? sender) => target.Tell(ProtocolCodec.Encode(message), sender);
}
