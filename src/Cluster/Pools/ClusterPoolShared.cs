using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Pools;

/// <summary>What the submit paths share: writing a job so it can cross nodes, or saying why it cannot.</summary>
internal static class ClusterPoolShared
{
    /// <summary>Serializes a job now, at submit: a job that cannot cross nodes is refused here, never lost in transit.</summary>
    public static bool TryWrite(ActorSystem system, object job, out Payload payload, out string error)
    {
        try
        {
            payload = Payloads.Write(system.Serialization, job);
            error = "";
            return true;
        }
        catch (Exception e)
        {
            payload = default;
            error = $"The job of type {job.GetType().FullName} cannot be serialized to cross nodes: {e.GetType().Name}: {e.Message}";
            return false;
        }
    }
}
