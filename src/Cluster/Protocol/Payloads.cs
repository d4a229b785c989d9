using Akka.Actor;
using Akka.Serialization;

namespace Actorpool.Cluster.Protocol;

/// <summary>
/// Puts a cluster pool's types into an actor system's serializer stack: the job and result types go to Akka's
/// Newtonsoft.Json serializer (explicitly, so a change of the system's default binding does not change what crosses
/// nodes). The protocol messages go to <see cref="ProtocolSerializer"/> when the system's configuration includes
/// <c>ClusterPoolSerialization.Config</c>, else to Newtonsoft.Json as well. Serializers themselves are only ever
/// registered by configuration: adding one to a running system races Akka's own use of its serializer table.
/// </summary>
internal static class Payloads
{
    private static readonly Type[] ProtocolTypes =
        [typeof(Hello), typeof(Welcome), typeof(Grant), typeof(Jobs), typeof(Results), typeof(CancelJobs), typeof(Leaving), typeof(NodeStatsRequest), typeof(NodeStatsReply)];

    /// <summary>Binds the pool's job and result types, and the protocol when no serializer was configured for it.</summary>
    public static void Register(ExtendedActorSystem system, Type job, Type result)
    {
        var serialization = system.Serialization;
        var json = serialization.FindSerializerForType(typeof(object)) as NewtonSoftJsonSerializer ?? new NewtonSoftJsonSerializer(system);
        if (serialization.FindSerializerForType(typeof(Jobs)) is not ProtocolSerializer)
        {
            foreach (var type in ProtocolTypes)
            {
                if (serialization.FindSerializerForType(type) is not NewtonSoftJsonSerializer)
                {
                    serialization.AddSerializationMap(type, json);
                }
            }
        }

        serialization.AddSerializationMap(job, json);
        if (result != typeof(object))
        {
            serialization.AddSerializationMap(result, json);
        }
    }
    /// <summary>Serializes <paramref name="value"/> with the serializer bound to its type; throws what that serializer throws.</summary>
    public static Payload Write(Serialization serialization, object? value)
    {
        if (value is null)
        {
            return new Payload(0, "", []);
        }

        var serializer = serialization.FindSerializerFor(value);
        var bytes = serializer.ToBinary(value);
        return new Payload(serializer.Identifier, Serialization.ManifestFor(serializer, value), bytes);
    }

    /// <summary>The object a payload holds (<c>null</c> for the empty payload).</summary>
    public static object? Read(Serialization serialization, Payload payload) =>
        payload.SerializerId == 0 && payload.Bytes.Length == 0 ? null : serialization.Deserialize(payload.Bytes, payload.SerializerId, payload.Manifest);
}
