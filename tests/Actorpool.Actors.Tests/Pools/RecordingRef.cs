using Akka.Actor;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>An actor ref with no ActorSystem behind it that records what it is told: a worker or a pool in plain-part tests.</summary>
internal sealed class RecordingRef(string name) : MinimalActorRef
{
    public List<object> Told { get; } = [];

    public override ActorPath Path { get; } = new RootActorPath(new Address("test", "parts")) / name;

    public override IActorRefProvider Provider => throw new NotSupportedException();

    protected override void TellInternal(object message, IActorRef sender) => Told.Add(message);
}
