using System.Buffers;
using System.Reflection;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Akka.Util;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace Actorpool.Cluster.Protocol;

/// <summary>
/// Writes and reads one declared type of a cluster pool (its job or its result type), built once per pool and type
/// so that nothing is looked up per job. When Akka's serializer stack binds the type to its Newtonsoft.Json
/// serializer (the binding <see cref="Payloads.Register"/> makes), a value of exactly that type is written with
/// Newtonsoft.Json configured for it here: the declared type is the root (no <c>$type</c>, no manifest per job),
/// nested values of another type than declared carry their <c>$type</c>, actor refs and other surrogated values
/// cross as Akka's surrogates, and no per-value number boxing (Akka's serializer writes every <c>int</c> as an
/// object). Any other value (another runtime type, or a type the application bound to a serializer of its own) goes
/// through the serializer Akka binds to it, as <see cref="Payloads.Write"/> does.
/// </summary>
internal sealed class PayloadCodec
{
    /// <summary>
    /// The serializer id of a payload this codec wrote as JSON: an id none of Akka's serializers has (an application
    /// serializer configured with this very id would have its payloads read by this codec instead).
    /// </summary>
    internal const int JsonId = -2020;

    // Built once for the whole process: it caches the contracts of the types it meets.
    private static readonly SetterContracts Contracts = new();

    private readonly Serialization _serialization;
    private readonly Type _type;
    private readonly bool _writeJson;
    private readonly JsonSerializer _json;
    private volatile bool _proven; // set once a job of exactly the declared type was written: later ones are written when they leave the node

    public PayloadCodec(ExtendedActorSystem system, Type type)
    {
        _serialization = system.Serialization;
        _type = type;
        _writeJson = type != typeof(object) && _serialization.FindSerializerForType(type) is NewtonSoftJsonSerializer;
        _json = JsonSerializer.Create(new JsonSerializerSettings
        {
            ContractResolver = Contracts,
            TypeNameHandling = TypeNameHandling.Auto,
            PreserveReferencesHandling = PreserveReferencesHandling.None, // a job is a tree of values; a cycle is refused at submit
            ConstructorHandling = ConstructorHandling.AllowNonPublicDefaultConstructor,
            ObjectCreationHandling = ObjectCreationHandling.Replace,
            MissingMemberHandling = MissingMemberHandling.Ignore,
            NullValueHandling = NullValueHandling.Include,
            DefaultValueHandling = DefaultValueHandling.Include,
            Converters = { new SurrogatedConverter(system) },
        });
    }

    /// <summary>Writes <paramref name="value"/>; throws what its serializer throws.</summary>
    public Payload Write(object? value)
    {
        if (value is null || !_writeJson || value.GetType() != _type)
        {
            return Payloads.Write(_serialization, value);
        }

        var buffer = Buffer.Rent();
        try
        {
            using (var writer = new JsonTextWriter(buffer.Text) { ArrayPool = CharPool.Instance, CloseOutput = false })
            {
                _json.Serialize(writer, value, _type);
            }

            return new Payload(JsonId, "", buffer.ToBytes());
        }
        finally
        {
            Buffer.Return(buffer);
        }
    }

    /// <summary>
    /// The check at submit: the first job of the declared type (and every job of another type) is written now, so one
    /// that cannot cross nodes is refused here, naming its type. Once a job of the declared type was written, later
    /// ones are not: <paramref name="payload"/> is left unwritten (<see cref="Payload.IsWritten"/> false) and the
    /// submitter writes it with <see cref="TryWrite"/> only when it sends the job to another node, where a failure
    /// still gives the job its outcome. A job run by the submitting node's own workers is never written.
    /// </summary>
    public bool TryAdmit(object job, out Payload payload, out string error)
    {
        if (_proven && job.GetType() == _type)
        {
            payload = default;
            error = "";
            return true;
        }

        if (!TryWrite(job, out payload, out error))
        {
            return false;
        }

        if (_writeJson && job.GetType() == _type)
        {
            _proven = true;
        }

        return true;
    }

    /// <summary>Serializes a job: false (and an error naming its type) when it cannot cross nodes.</summary>
    public bool TryWrite(object job, out Payload payload, out string error)
    {
        try
        {
            payload = Write(job);
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

    /// <summary>The object a payload holds (<c>null</c> for the empty payload).</summary>
    public object? Read(Payload payload)
    {
        if (payload.SerializerId != JsonId)
        {
            return Payloads.Read(_serialization, payload);
        }

        using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(payload.Bytes))) { ArrayPool = CharPool.Instance };
        return _json.Deserialize(reader, _type);
    }

    /// <summary>A thread's reusable text buffer for writing JSON (a nested write on the same thread gets a fresh one).</summary>
    private sealed class Buffer
    {
        [ThreadStatic]
        private static Buffer? _cached;

        private readonly StringBuilder _builder = new(256);

        public Buffer() => Text = new StringWriter(_builder, System.Globalization.CultureInfo.InvariantCulture);

        public StringWriter Text { get; }

        public static Buffer Rent()
        {
            var buffer = _cached ?? new Buffer();
            _cached = null;
            buffer._builder.Clear();
            return buffer;
        }

        public static void Return(Buffer buffer)
        {
            if (buffer._builder.Capacity <= 64 * 1024)
            {
                _cached = buffer; // a buffer grown by a huge job is left to the GC
            }
        }

        /// <summary>The text written, as UTF-8.</summary>
        public byte[] ToBytes()
        {
            var length = _builder.Length;
            var chars = ArrayPool<char>.Shared.Rent(length);
            try
            {
                _builder.CopyTo(0, chars, length);
                var text = chars.AsSpan(0, length);
                var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
                Encoding.UTF8.GetBytes(text, bytes);
                return bytes;
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    /// <summary>Newtonsoft.Json's character buffers, from the shared pool.</summary>
    private sealed class CharPool : IArrayPool<char>
    {
        public static CharPool Instance { get; } = new();

        public char[] Rent(int minimumLength) => ArrayPool<char>.Shared.Rent(minimumLength);

        public void Return(char[]? array)
        {
            if (array is not null)
            {
                ArrayPool<char>.Shared.Return(array);
            }
        }
    }

    /// <summary>Newtonsoft.Json's default contracts, where a property with a non-public setter is read back too (as Akka's serializer does).</summary>
    private sealed class SetterContracts : DefaultContractResolver
    {
        protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
        {
            var property = base.CreateProperty(member, memberSerialization);
            if (!property.Writable && member is PropertyInfo { } info && info.GetSetMethod(nonPublic: true) is not null)
            {
                property.Writable = true;
            }

            return property;
        }
    }

    /// <summary>
    /// Values Akka writes as surrogates (actor refs, among others): written as their surrogate with its type, read
    /// back and resolved in this node's actor system.
    /// </summary>
    private sealed class SurrogatedConverter(ActorSystem system) : JsonConverter
    {
        public override bool CanConvert(Type objectType) => typeof(ISurrogated).IsAssignableFrom(objectType);

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
            serializer.Serialize(writer, value is ISurrogated surrogated ? surrogated.ToSurrogate(system) : null, typeof(object));

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) =>
            serializer.Deserialize(reader, typeof(object)) is ISurrogate surrogate ? surrogate.FromSurrogate(system) : null;
    }
}
