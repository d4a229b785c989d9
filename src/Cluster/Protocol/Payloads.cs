using Akka.Actor;
using Akka.Serialization;

namespace Actorpool.Cluster.Protocol;

/// <summary>
/// Puts a cluster pool's job and result types into an actor system's serializer stack, bound explicitly to Akka's
/// Newtonsoft.Json serializer (so a change of the system's default binding does not change what crosses nodes), and
/// writes and reads them. Every node does the same when it spawns the pool.
/// </summary>
internal static class Payloads
{
    /// <summary>
    /// Binds the pool's job and result types to Newtonsoft.Json, unless a type already has a serializer of its own (Akka's
    /// for primitives and strings, or one the application configured): those keep it, for every message of the system.
    /// </summary>
    public static void Register(ExtendedActorSystem system, Type job, Type result)
    {
        var serialization = system.Serialization;
        var fallback = serialization.FindSerializerForType(typeof(object));
        var json = fallback as NewtonSoftJsonSerializer ?? new NewtonSoftJsonSerializer(system);
        foreach (var type in new[] { job, result }.Distinct())
        {
            if (type != typeof(object) && serialization.FindSerializerForType(type) == fallback)
            {
                serialization.AddSerializationMap(type, json);
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
