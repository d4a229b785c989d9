using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Actorpool.Benchmarks.Charts;

/// <summary>Reads the rows <c>compare --json FILE</c> wrote; a file that is missing or is not such an array is an error naming it.</summary>
public static class ResultsFile
{
    /// <summary>Reads every row of <paramref name="path"/>, in file order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a non-empty JSON array of compare rows; the message names the file and the row.</exception>
    public static IReadOnlyList<ResultRow> Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Results file '{full}' does not exist (write one with `compare --json FILE`).", full);
        }

        JToken root;
        try
        {
            root = JToken.Parse(File.ReadAllText(full));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Results file '{full}' is not JSON: {ex.Message}", ex);
        }

        if (root is not JArray array)
        {
            throw new InvalidDataException($"Results file '{full}' holds a JSON {root.Type}, not the array of rows `compare --json` writes.");
        }

        if (array.Count == 0)
        {
            throw new InvalidDataException($"Results file '{full}' holds no rows.");
        }

        return [.. array.Select((row, i) => ReadRow(full, i, row))];
    }

    private static ResultRow ReadRow(string file, int index, JToken token)
    {
        if (token is not JObject row)
        {
            throw Bad(file, index, $"is a JSON {token.Type}, not an object");
        }

        var median = Number(file, index, row, "median") ?? throw Bad(file, index, "has no 'median'");
        return new ResultRow(
            Text(file, index, row, "scenario"),
            Text(file, index, row, "system"),
            Text(file, index, row, "metric"),
            row["is_peer"] is { Type: JTokenType.Boolean } peer ? (bool)peer
                : throw Bad(file, index, "has no boolean 'is_peer'"),
            median,
            Number(file, index, row, "ratio_vs_peer"));
    }

    private static string Text(string file, int index, JObject row, string name) =>
        row[name] is { Type: JTokenType.String } value && ((string?)value) is { Length: > 0 } text
            ? text
            : throw Bad(file, index, $"has no '{name}' text");

    private static double? Number(string file, int index, JObject row, string name) => row[name] switch
    {
        null or { Type: JTokenType.Null } => null,
        { Type: JTokenType.Integer or JTokenType.Float } value when double.IsFinite((double)value) => (double)value,
        var other => throw Bad(file, index, $"has '{name}' = {other.ToString(Formatting.None)}, not a finite number"),
    };

    private static InvalidDataException Bad(string file, int index, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Results file '{file}': row {index} {what}."));
}
