using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Actorpool.Hosting.Configuration;

/// <summary>
/// Finds keys in a bound configuration section that no settings property takes (the binder ignores them silently, so
/// a typo would leave the code's value in force). The valid names come from the settings types by reflection, so a
/// new option is known as soon as it exists.
/// </summary>
internal static class KnownKeys
{
    // The longest edit distance at which a known name is offered as "did you mean".
    private const int SuggestionDistance = 2;

    // Settable public properties (and get-only dictionaries, which the binder fills) per settings type.
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>Adds one failure per unknown key under <paramref name="section"/>, read as <paramref name="settingsType"/>.</summary>
    public static void Check(IConfigurationSection section, Type settingsType, List<string> failures)
    {
        var properties = Properties.GetOrAdd(settingsType, Bindable);
        foreach (var child in section.GetChildren())
        {
            var property = Array.Find(properties, p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                failures.Add(Unknown(child.Path, child.Key, properties));
            }
            else if (DictionaryValueType(property.PropertyType) is { } valueType)
            {
                foreach (var entry in child.GetChildren())
                {
                    Check(entry, valueType, failures);
                }
            }
            else if (!IsLeaf(property.PropertyType))
            {
                Check(child, property.PropertyType, failures);
            }

            // A leaf (Hocon included) is a value: what is inside it is not ours to check.
        }
    }

    private static string Unknown(string path, string key, PropertyInfo[] properties)
    {
        var nearest = properties
            .Select(p => (p.Name, Distance: EditDistance(key, p.Name)))
            .Where(c => c.Distance <= SuggestionDistance)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return nearest is not null
            ? $"{path} is not a known setting (did you mean '{nearest}'?)."
            : $"{path} is not a known setting; the settings here are {string.Join(", ", properties.Select(p => p.Name))}.";
    }

    private static PropertyInfo[] Bindable(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || DictionaryValueType(p.PropertyType) is not null))
        .ToArray();

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid);
    }

    /// <summary>Levenshtein distance, ignoring case (configuration keys are case-insensitive).</summary>
    internal static int EditDistance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
