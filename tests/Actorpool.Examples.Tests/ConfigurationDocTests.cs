using System.Reflection;
using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Messaging;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Dynamic;
using Actorpool.Hosting;
using Actorpool.Hosting.Configuration;
using Akka.Configuration.Hocon;

namespace Actorpool.Examples.Tests;

/// <summary>
/// docs/configuration.md against the code: each options type's table lists exactly the options the type has (found by
/// reflection), and the HOCON table exactly the keys of <see cref="WorkStealingDispatcher.DefaultConfig"/>.
/// </summary>
public sealed class ConfigurationDocTests
{
    private const string DocPath = "docs/configuration.md";

    /// <summary>Every public options type, with the heading of its section in the doc.</summary>
    private static readonly (Type Type, string Heading)[] DocumentedTypes =
    [
        (typeof(PoolOptions<>), "PoolOptions<TState>"),
        (typeof(PanicPolicy), "PanicPolicy"),
        (typeof(RestartBudget), "RestartBudget"),
        (typeof(UpDownOptions), "UpDownOptions"),
        (typeof(WorkStealingPoolOptions), "WorkStealingPoolOptions"),
        (typeof(DynamicPoolOptions), "DynamicPoolOptions"),
        (typeof(ActorpoolOptions), "ActorpoolOptions"),
        (typeof(PoolSettings), "PoolSettings"),
        (typeof(PanicSettings), "PanicSettings"),
    ];

    private const string HoconHeading = "HOCON: `" + WorkStealingDispatcher.Id + "`";

    public static TheoryData<string> TypeHeadings() => [.. DocumentedTypes.Select(t => t.Heading)];

    [Theory]
    [MemberData(nameof(TypeHeadings))]
    public void ConfigurationDoc_ListsExactlyTheOptionsOfEachType(string heading)
    {
        var type = DocumentedTypes.Single(t => t.Heading == heading).Type;
        var rows = Rows(Section(RepositoryFiles.Read(DocPath), $"`{heading}`"));

        var problems = Drift(heading, OptionsOf(type), rows);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>A default instance of each options type whose defaults the doc's "default" column states.</summary>
    private static readonly Dictionary<string, Func<object>> DefaultInstances = new()
    {
        ["PoolOptions<TState>"] = () => new PoolOptions<object> { Name = "doc", Init = _ => new object() },
        ["PanicPolicy"] = () => new PanicPolicy(),
        ["RestartBudget"] = () => new RestartBudget(1, TimeSpan.FromSeconds(1)),
        ["UpDownOptions"] = () => new UpDownOptions(),
        ["WorkStealingPoolOptions"] = () => new WorkStealingPoolOptions(),
        ["DynamicPoolOptions"] = () => new DynamicPoolOptions(),
        ["ActorpoolOptions"] = () => new ActorpoolOptions(),
    };

    public static TheoryData<string> HeadingsWithDefaults() => [.. DefaultInstances.Keys];

    [Theory]
    [MemberData(nameof(HeadingsWithDefaults))]
    public void ConfigurationDoc_StatesTheDefaultOfEachOption(string heading)
    {
        var instance = DefaultInstances[heading]();
        var problems = new List<string>();
        foreach (var (name, cell) in DefaultCells(Section(RepositoryFiles.Read(DocPath), $"`{heading}`")))
        {
            var property = instance.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is null || cell == "required")
            {
                continue;
            }

            if (DefaultProblem(name, property.GetValue(instance), cell) is { } problem)
            {
                problems.Add($"{heading}: {problem}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void DefaultProblem_WhenTheDocStatesAnotherDefault_NamesBoth()
    {
        Assert.Null(DefaultProblem("Backlog", 1024, "1024"));
        Assert.Null(DefaultProblem("ScaleInterval", TimeSpan.FromSeconds(1), "1 s"));
        Assert.Null(DefaultProblem("SpinTime", TimeSpan.FromMicroseconds(50), "50 µs"));
        Assert.Null(DefaultProblem("JobTimeout", null, "null (no limit)"));
        Assert.Equal("Backlog: the doc says 512, the code's default is 1024", DefaultProblem("Backlog", 1024, "512"));
        Assert.Equal("ScaleInterval: the doc says 2 s, the code's default is 1 s", DefaultProblem("ScaleInterval", TimeSpan.FromSeconds(1), "2 s"));
        Assert.Equal("Kind: the doc says Kill, the code's default is Respawn", DefaultProblem("Kind", PanicKind.Respawn, "Kill"));
    }

    /// <summary>
    /// Whether <paramref name="cell"/> (the doc's default, backticks removed) starts with <paramref name="value"/> as the
    /// doc writes it: <c>null</c>, a number, <c>true</c>/<c>false</c>, an enum or string value, or a time in the largest whole
    /// unit (µs, ms, s, min). Values the doc can only describe (a clock, a policy, a delegate) are not compared.
    /// </summary>
    internal static string? DefaultProblem(string name, object? value, string cell)
    {
        if (value is int count && count == Environment.ProcessorCount && cell.StartsWith("Environment.ProcessorCount", StringComparison.Ordinal))
        {
            return null;
        }

        string? expected = value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Enum e => e.ToString(),
            string text => text,
            TimeSpan t => Show(t),
            _ => null,
        };
        if (expected is null)
        {
            return null;
        }

        var stated = cell.StartsWith(expected, StringComparison.Ordinal) && (cell.Length == expected.Length || cell[expected.Length] is ' ' or '(');
        return stated ? null : $"{name}: the doc says {cell}, the code's default is {expected}";
    }

    private static string Show(TimeSpan t) =>
        t.Ticks % TimeSpan.TicksPerMinute == 0 && t > TimeSpan.Zero ? $"{t.TotalMinutes:0} min"
        : t.Ticks % TimeSpan.TicksPerSecond == 0 && t > TimeSpan.Zero ? $"{t.TotalSeconds:0} s"
        : t.Ticks % TimeSpan.TicksPerMillisecond == 0 && t > TimeSpan.Zero ? $"{t.TotalMilliseconds:0} ms"
        : $"{t.TotalMicroseconds:0} µs";

    /// <summary>The option name and its default cell (the third column, backticks removed) of each table row.</summary>
    private static IEnumerable<(string Name, string Default)> DefaultCells(IReadOnlyList<string> section) =>
        section
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|'))
            .Select(cells => (cells[1].Trim().Trim('`'), cells[3].Replace("`", "", StringComparison.Ordinal).Trim()));

    [Fact]
    public void ConfigurationDoc_ListsExactlyTheHoconKeysOfTheWorkStealingDispatcher()
    {
        var keys = new List<(string Key, string Value)>();
        Flatten(WorkStealingDispatcher.DefaultConfig.GetConfig(WorkStealingDispatcher.Id).Root, "", keys);
        var rows = Rows(Section(RepositoryFiles.Read(DocPath), HoconHeading));

        var problems = Drift(WorkStealingDispatcher.Id, keys.Select(k => k.Key).ToList(), rows);

        Assert.NotEmpty(keys);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ConfigurationDoc_StatesTheDefaultOfEachHoconKey()
    {
        var keys = new List<(string Key, string Value)>();
        Flatten(WorkStealingDispatcher.DefaultConfig.GetConfig(WorkStealingDispatcher.Id).Root, "", keys);
        var cells = DefaultCells(Section(RepositoryFiles.Read(DocPath), HoconHeading)).ToDictionary(c => c.Name, c => c.Default);

        var problems = keys
            .Where(k => cells.ContainsKey(k.Key))
            .Select(k => DefaultProblem(k.Key, k.Value, cells[k.Key]))
            .OfType<string>()
            .ToList();

        Assert.NotEmpty(cells);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ConfigurationDoc_CoversEveryPublicOptionsAndSettingsType()
    {
        Type[] anchors = [typeof(WorkStealingPoolOptions), typeof(PoolOptions<>), typeof(ActorpoolOptions)];
        var optionTypes = anchors.Select(t => t.Assembly).Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.Name.Split('`')[0] is var name && (name.EndsWith("Options", StringComparison.Ordinal) || name.EndsWith("Settings", StringComparison.Ordinal)))
            .ToList();

        var missing = optionTypes.Except(DocumentedTypes.Select(t => t.Type)).Select(t => t.FullName).ToList();

        Assert.True(missing.Count == 0, $"Public options types without a section in {DocPath} (add one and a row in DocumentedTypes): {string.Join(", ", missing)}");
    }

    // The checks themselves can fail: a type with one option more than its section, or one fewer, is reported by name.
    [Fact]
    public void Drift_WhenATypeGainsOrLosesAnOption_NamesIt()
    {
        var rows = Rows(Section(RepositoryFiles.Read(DocPath), "`DynamicPoolOptions`"));
        Assert.Empty(Drift("DynamicPoolOptions", OptionsOf(typeof(DynamicPoolOptions)), rows));

        var gained = Drift("GainedAnOption", OptionsOf(typeof(GainedAnOption)), rows);
        var lost = Drift("LostAnOption", OptionsOf(typeof(LostAnOption)), rows);

        Assert.Equal(["GainedAnOption: Burst is not documented in docs/configuration.md"], gained);
        Assert.Equal(["LostAnOption: ThreadNamePrefix is documented in docs/configuration.md but does not exist in the code"], lost);
    }

    [Fact]
    public void OptionsOf_FindsInitAndSetPropertiesConstructorParametersAndBoundDictionaries()
    {
        Assert.Equal(["InitialBackoff", "MaxBackoff", "MaxRestarts", "Window"], OptionsOf(typeof(RestartBudget)).Order());
        Assert.Contains("Pools", OptionsOf(typeof(ActorpoolOptions)));
        Assert.Contains("Name", OptionsOf(typeof(PoolOptions<>)));
    }

    /// <summary>
    /// The options of <paramref name="type"/>: public instance properties with a public setter or init accessor, the
    /// parameters of its public constructors (named as the property they set), and get-only dictionaries that
    /// configuration binding fills.
    /// </summary>
    internal static IReadOnlyCollection<string> OptionsOf(Type type)
    {
        var options = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var settable = property.SetMethod is { IsPublic: true };
            var boundDictionary = property.SetMethod is null && property.PropertyType.IsGenericType
                && property.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>);
            if (settable || boundDictionary)
            {
                options.Add(property.Name);
            }
        }

        foreach (var constructor in type.GetConstructors(BindingFlags.Public | BindingFlags.Instance))
        {
            foreach (var parameter in constructor.GetParameters())
            {
                // A record's copy constructor is protected; this guards a public one all the same.
                if (parameter.ParameterType != type && parameter.Name is { Length: > 0 } name)
                {
                    options.Add(char.ToUpperInvariant(name[0]) + name[1..]);
                }
            }
        }

        return options;
    }

    /// <summary>Options without a row, then rows naming no option, each as one sentence.</summary>
    internal static List<string> Drift(string owner, IReadOnlyCollection<string> options, IReadOnlyCollection<string> rows) =>
    [
        .. options.Except(rows).Select(o => $"{owner}: {o} is not documented in {DocPath}"),
        .. rows.Except(options).Select(r => $"{owner}: {r} is documented in {DocPath} but does not exist in the code"),
    ];

    /// <summary>The lines of the level-2 section whose heading contains <paramref name="heading"/>, up to the next one.</summary>
    internal static IReadOnlyList<string> Section(string markdown, string heading)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal) && l.Contains(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"{DocPath} has no '## ' heading containing {heading}");
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return lines[(start + 1)..(end < 0 ? lines.Length : end)];
    }

    /// <summary>The names in the first cell of the section's table rows (<c>| `Name` | …</c>).</summary>
    internal static IReadOnlyCollection<string> Rows(IReadOnlyList<string> section)
    {
        var rows = section
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|')[1].Trim().Trim('`'))
            .ToList();
        var duplicates = rows.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{DocPath} lists twice: {string.Join(", ", duplicates)}");
        return rows;
    }

    // The leaf keys under a HOCON object, dotted ("work-stealing.threads"), with their values as written.
    private static void Flatten(HoconValue value, string prefix, List<(string Key, string Value)> keys)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
            {
                Flatten(child, prefix.Length == 0 ? key : $"{prefix}.{key}", keys);
            }
        }
        else
        {
            keys.Add((prefix, value.GetString()));
        }
    }

    // DynamicPoolOptions with one option more and one fewer, for the test of the check itself.
    private sealed record GainedAnOption
    {
        public TimeSpan PollInterval { get; init; }

        public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

        public string ThreadNamePrefix { get; init; } = "";

        public int Burst { get; init; }
    }

    private sealed record LostAnOption
    {
        public TimeSpan PollInterval { get; init; }

        public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
    }
}
