using System.Collections;
using Akka.Event;

namespace Actorpool.Hosting.Logging;

/// <summary>
/// The structured state of one bridged Akka log event, as Microsoft.Extensions.Logging expects it: the template's named
/// values (Akka's semantic formatter keeps them; a <c>{0}</c> template gives "0", "1"…), AkkaSource (the actor path) and
/// {OriginalFormat} (the template). The formatted text is what Akka itself would print.
/// </summary>
internal sealed class AkkaLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<AkkaLogState, Exception?, string> Format = static (state, _) => state.ToString();

    private readonly KeyValuePair<string, object?>[] _properties;
    private readonly string _text;

    public AkkaLogState(LogEvent logEvent)
    {
        _text = logEvent.Message?.ToString() ?? string.Empty;
        var values = logEvent.TryGetProperties(out var named) ? named : null;
        _properties = new KeyValuePair<string, object?>[(values?.Count ?? 0) + 2];
        var i = 0;
        if (values is not null)
        {
            foreach (var (key, value) in values)
            {
                _properties[i++] = new(key, value);
            }
        }

        _properties[i++] = new("AkkaSource", logEvent.LogSource);
        _properties[i] = new("{OriginalFormat}", values is null ? _text : logEvent.GetTemplate());
    }

    public int Count => _properties.Length;

    public KeyValuePair<string, object?> this[int index] => _properties[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_properties).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _text;
}
