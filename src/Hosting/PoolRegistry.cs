using Akka.Actor;

namespace Actorpool.Hosting;

internal sealed class PoolRegistry(ActorSystemHost host) : IPoolRegistry
{
    public ActorSystem System => host.System;
}
