using System.Runtime.Serialization;
using System.Text;

namespace Actorpool.Cluster.Protocol;

/// <summary>
/// The binary form of the cluster pool protocol: every protocol message crosses nodes as a byte array (Akka's
/// built-in byte-array serializer passes it as is), its first byte saying which message it is. Jobs and results inside
/// are payloads already written by the serializer bound to their type (Newtonsoft.Json), so this only frames them:
/// one message per batch, no per-job envelope. A byte array needs no serializer registered by configuration, which
/// Akka allows only when a system starts, and it costs a fraction of a JSON envelope.
/// </summary>
internal static class ProtocolCodec
{
    /// <summary>The frame of <paramref name="message"/>, to send instead of it.</summary>
    public static byte[] Encode(IProtocolMessage message)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)Kind(message)[0]);
            Write(writer, message);
        }

        return stream.ToArray();
    }

    /// <summary>The message a frame holds.</summary>
    /// <exception cref="SerializationException">The frame is not a cluster pool protocol message.</exception>
    public static IProtocolMessage Decode(byte[] frame)
    {
        if (frame.Length == 0)
        {
            throw new SerializationException("An empty byte array is not a cluster pool protocol message.");
        }

        using var reader = new BinaryReader(new MemoryStream(frame), Encoding.UTF8);
        return Read(reader, ((char)reader.ReadByte()).ToString());
    }

    private static string Kind(object o) => o switch
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

    private static IProtocolMessage Read(BinaryReader reader, string manifest) =>
        manifest switch
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
            _ => throw new SerializationException($"Unknown cluster pool protocol message kind '{manifest}'."),
        };

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
