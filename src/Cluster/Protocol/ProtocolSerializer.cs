using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace Actorpool.Cluster.Protocol;

/// <summary>
/// The binary form of the cluster pool protocol. Jobs and results inside it are payloads already written by the
/// serializer bound to their type (Newtonsoft.Json by default), so this serializer only frames them: one message per
/// batch, no per-job JSON envelope.
/// </summary>
internal sealed class ProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Unique among the serializers of an actor system (Akka reserves 0 to 100).</summary>
    public const int Id = 7341;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        Hello => "H",
        Welcome => "W",
        Grant => "G",
        Jobs => "J",
        Results => "R",
        CancelJobs => "C",
        Leaving => "L",
        NodeStatsRequest => "Q",
        NodeStatsReply => "A",
        _ => throw new ArgumentException($"{o.GetType()} is not a cluster pool protocol message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            Write(writer, obj);
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        return manifest switch
        {
            "H" => new Hello(reader.ReadString()),
            "W" => new Welcome(reader.ReadString()),
            "G" => new Grant(reader.ReadInt32()),
            "J" => new Jobs(ReadArray(reader, ReadJob)),
            "R" => ReadResults(reader),
            "C" => new CancelJobs(ReadArray(reader, static r => r.ReadInt64())),
            "L" => new Leaving(reader.ReadString()),
            "Q" => NodeStatsRequest.Instance,
            "A" => new NodeStatsReply(reader.ReadString(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadBoolean()),
            _ => throw new SerializationException($"Unknown cluster pool protocol manifest '{manifest}'."),
        };
    }

    private static void Write(BinaryWriter writer, object obj)
    {
        switch (obj)
        {
            case Hello hello:
                writer.Write(hello.Node);
                break;
            case Welcome welcome:
                writer.Write(welcome.Node);
                break;
            case Grant grant:
                writer.Write(grant.Credit);
                break;
            case Jobs jobs:
                writer.Write(jobs.Items.Length);
                foreach (var item in jobs.Items)
                {
                    writer.Write(item.Sequence);
                    WritePayload(writer, item.Job);
                    WriteOptional(writer, item.TraceParent);
                    writer.Write(item.Timeout?.Ticks ?? 0L);
                }

                break;
            case Results results:
                writer.Write(results.Credit);
                writer.Write(results.Items.Length);
                foreach (var item in results.Items)
                {
                    writer.Write(item.Sequence);
                    writer.Write((byte)item.Kind);
                    if (item.Kind == ResultKind.Completed)
                    {
                        WritePayload(writer, item.Value);
                    }
                    else
                    {
                        WriteOptional(writer, item.ErrorType);
                        WriteOptional(writer, item.ErrorMessage);
                        WriteOptional(writer, item.ErrorStack);
                    }
                }

                break;
            case CancelJobs cancel:
                writer.Write(cancel.Sequences.Length);
                foreach (var sequence in cancel.Sequences)
                {
                    writer.Write(sequence);
                }

                break;
            case Leaving leaving:
                writer.Write(leaving.Node);
                break;
            case NodeStatsRequest:
                break;
            case NodeStatsReply reply:
                writer.Write(reply.Node);
                writer.Write(reply.Workers);
                writer.Write(reply.Executed);
                writer.Write(reply.Failed);
                writer.Write(reply.Leaving);
                break;
            default:
                throw new ArgumentException($"{obj.GetType()} is not a cluster pool protocol message.", nameof(obj));
        }
    }

    private static JobItem ReadJob(BinaryReader reader)
    {
        var sequence = reader.ReadInt64();
        var job = ReadPayload(reader);
        var traceParent = ReadOptional(reader);
        var ticks = reader.ReadInt64();
        return new JobItem(sequence, job, traceParent, ticks == 0 ? null : TimeSpan.FromTicks(ticks));
    }

    private static Results ReadResults(BinaryReader reader)
    {
        var credit = reader.ReadInt32();
        var items = ReadArray(reader, static r =>
        {
            var sequence = r.ReadInt64();
            var kind = (ResultKind)r.ReadByte();
            return kind == ResultKind.Completed
                ? new ResultItem(sequence, kind, ReadPayload(r), null, null, null)
                : new ResultItem(sequence, kind, default, ReadOptional(r), ReadOptional(r), ReadOptional(r));
        });
        return new Results(items, credit);
    }

    private static T[] ReadArray<T>(BinaryReader reader, Func<BinaryReader, T> read)
    {
        var count = reader.ReadInt32();
        if (count < 0)
        {
            throw new SerializationException($"A cluster pool message holds {count} items.");
        }

        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = read(reader);
        }

        return items;
    }

    private static void WritePayload(BinaryWriter writer, Payload payload)
    {
        writer.Write(payload.SerializerId);
        writer.Write(payload.Manifest);
        writer.Write(payload.Bytes.Length);
        writer.Write(payload.Bytes);
    }

    private static Payload ReadPayload(BinaryReader reader)
    {
        var serializerId = reader.ReadInt32();
        var manifest = reader.ReadString();
        var bytes = reader.ReadBytes(reader.ReadInt32());
        return new Payload(serializerId, manifest, bytes);
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
