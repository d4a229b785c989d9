using System.Collections;

namespace Actorpool.Hosting.Logging;

/// <summary>The structured state of one bridged Akka log event: AkkaSource (the actor path) and the formatted message.</summary>
internal readonly struct AkkaLogState(string? source, string message) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<AkkaLogState, Exception?, string> Format = static (state, _) => state.ToString();

    public string? Source { get; } = source;

    public string Message { get; } = message;

    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("AkkaSource", Source),
        1 => new("Message", Message),
        2 => new("{OriginalFormat}", "[{AkkaSource}] {Message}"),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"Index must be 0 to 2, was {index}."),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"[{Source}] {Message}";
}
