using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Serialization;

namespace Actorpool.Cluster.Protocol;

/// <summary>
/// Puts a cluster pool's types into an actor system's serializer stack: the protocol messages go to
/// <see cref="ProtocolSerializer"/>, the job and result types to Akka's Newtonsoft.Json serializer (explicitly, so a
/// change of the system's default binding does not change what crosses nodes). Every node does the same when it spawns
/// the pool, so the serializer ids agree.
/// </summary>
internal static class Payloads
{
    private static readonly ConditionalWeakTable<ActorSystem, object> Registered = new();
    private static readonly Lock Gate = new();

    private static readonly Type[] ProtocolTypes =
        [typeof(Hello), typeof(Welcome), typeof(Grant), typeof(Jobs), typeof(Results), typeof(CancelJobs), typeof(Leaving), typeof(NodeStatsRequest), typeof(NodeStatsReply)];

    /// <summary>Binds the protocol (once per system) and the pool's job and result types.</summary>
    public static void Register(ExtendedActorSystem system, Type job, Type result)
    {
        lock (Gate)
        {
            var serialization = system.Serialization;
            if (!Registered.TryGetValue(system, out _))
            {
                var protocol = new ProtocolSerializer(system);
                serialization.AddSerializer("actorpool-cluster", protocol);
                foreach (var type in ProtocolTypes)
                {
                    serialization.AddSerializationMap(type, protocol);
                }

                Registered.Add(system, new object());
            }

            var json = serialization.FindSerializerForType(typeof(object)) as NewtonSoftJsonSerializer ?? new NewtonSoftJsonSerializer(system);
            serialization.AddSerializationMap(job, json);
            if (result != typeof(object))
            {
                serialization.AddSerializationMap(result, json);
            }
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
