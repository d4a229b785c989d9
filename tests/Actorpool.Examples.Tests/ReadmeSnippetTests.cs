using System.Text.RegularExpressions;

namespace Actorpool.Examples.Tests;

/// <summary>
/// README.md's C# blocks are the code of examples/Snippets: each block follows a <c>&lt;!-- snippet: name --&gt;</c>
/// line and must equal the lines of the <c>#region name</c> blocks of that project (each region's common indentation
/// removed; several regions of one name are joined by a blank line, so a <c>using</c> at the top of a file can open
/// a snippet whose code sits in a method).
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    [Fact]
    public void Readme_EveryCSharpBlockIsItsCompiledSnippet()
    {
        var problems = Compare(RepositoryFiles.Read("README.md"), SnippetRegions());

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Readme_ShowsEverySnippetRegion()
    {
        var shown = Blocks(RepositoryFiles.Read("README.md"), []).Select(b => b.Name).ToHashSet();

        var unused = SnippetRegions().Keys.Where(name => !shown.Contains(name)).ToList();

        Assert.True(unused.Count == 0, $"Regions of examples/Snippets that README.md does not show: {string.Join(", ", unused)}");
    }

    // The check itself can fail: an unmarked block, a block that differs from its region and a marker without a
    // region are each reported, naming the README line.
    [Fact]
    public void Compare_ReportsUnmarkedChangedAndUnknownBlocks()
    {
        var regions = new Dictionary<string, string> { ["a"] = "var x = 1;\nUse(x);" };
        const string Readme = """
            # T

            <!-- snippet: a -->
            ```csharp
            var x = 1;
            Use(x);
            ```

            ```csharp
            var y = 2;
            ```

            <!-- snippet: a -->
            ```csharp
            var x = 2;
            Use(x);
            ```

            <!-- snippet: b -->
            ```csharp
            Other();
            ```
            """;

        var problems = Compare(Readme, regions);

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("README.md:9: a ```csharp block without a '<!-- snippet: name -->' line before it", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("README.md:14: the block of snippet 'a' differs from its region", problems[1], StringComparison.Ordinal);
        Assert.Contains("line 1: README 'var x = 2;', region 'var x = 1;'", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("README.md:20: snippet 'b' has no '#region b' in examples/Snippets", problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Regions_RemoveEachRegionsCommonIndentation_AndJoinRegionsOfOneName()
    {
        const string Source = """
            #region s
            using X;
            #endregion

            class C
            {
                void M()
                {
                    #region s
                    if (a)
                    {
                        B();
                    }
                    #endregion
                }
            }
            """;

        var regions = Regions(Source, "C.cs");

        Assert.Equal("using X;\n\nif (a)\n{\n    B();\n}", regions["s"]);
    }

    /// <summary>Every problem of <paramref name="readme"/>'s C# blocks against <paramref name="regions"/>, naming the README line.</summary>
    internal static List<string> Compare(string readme, IReadOnlyDictionary<string, string> regions)
    {
        var problems = new List<string>();
        foreach (var block in Blocks(readme, problems))
        {
            if (!regions.TryGetValue(block.Name, out var region))
            {
                problems.Add($"README.md:{block.Line}: snippet '{block.Name}' has no '#region {block.Name}' in examples/Snippets");
                continue;
            }

            if (block.Code != region)
            {
                problems.Add($"README.md:{block.Line}: the block of snippet '{block.Name}' differs from its region in examples/Snippets; {FirstDifference(block.Code, region)}");
            }
        }

        return problems;
    }

    /// <summary>The marked C# blocks of <paramref name="readme"/>; an unmarked one is added to <paramref name="problems"/>.</summary>
    internal static List<(string Name, int Line, string Code)> Blocks(string readme, List<string> problems)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<(string, int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].Trim();
            if (!fence.StartsWith("```", StringComparison.Ordinal) || fence.Length == 3)
            {
                continue;
            }

            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            Assert.True(end > i, $"README.md:{i + 1}: a code block that is never closed");
            if (fence[3..].Trim().ToLowerInvariant() is "csharp" or "cs" or "c#")
            {
                var marker = i > 0 ? Marker().Match(lines[i - 1].Trim()) : Match.Empty;
                if (marker.Success)
                {
                    blocks.Add((marker.Groups[1].Value, i + 1, string.Join('\n', lines[(i + 1)..end])));
                }
                else
                {
                    problems.Add($"README.md:{i + 1}: a ```csharp block without a '<!-- snippet: name -->' line before it (put its code in a #region of examples/Snippets)");
                }
            }

            i = end;
        }

        return blocks;
    }

    /// <summary>The regions of every .cs file of examples/Snippets, by name.</summary>
    private static Dictionary<string, string> SnippetRegions()
    {
        var folder = Path.Combine(RepositoryFiles.Root, "examples", "Snippets");
        var regions = new Dictionary<string, string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (name, code) in Regions(File.ReadAllText(file), Path.GetFileName(file)))
            {
                Assert.False(regions.ContainsKey(name), $"Region '{name}' is in more than one file of examples/Snippets");
                regions[name] = code;
            }
        }

        Assert.NotEmpty(regions);
        return regions;
    }

    /// <summary>The named regions of one source file: each region's lines without their common indentation.</summary>
    internal static Dictionary<string, string> Regions(string source, string file)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        var parts = new Dictionary<string, List<string>>();
        for (var i = 0; i < lines.Length; i++)
        {
            var start = RegionStart().Match(lines[i]);
            if (!start.Success)
            {
                continue;
            }

            var end = Array.FindIndex(lines, i + 1, l => l.Trim().StartsWith("#endregion", StringComparison.Ordinal));
            Assert.True(end > i, $"{file}:{i + 1}: #region {start.Groups[1].Value} is never closed");
            var body = lines[(i + 1)..end];
            var indent = body.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            var code = string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
            var name = start.Groups[1].Value;
            if (!parts.TryGetValue(name, out var list))
            {
                parts[name] = list = [];
            }

            list.Add(code);
            i = end;
        }

        return parts.ToDictionary(p => p.Key, p => string.Join("\n\n", p.Value));
    }

    private static string FirstDifference(string readme, string region)
    {
        var a = readme.Split('\n');
        var b = region.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(no line)";
            var right = i < b.Length ? b[i] : "(no line)";
            if (left != right)
            {
                return $"line {i + 1}: README '{left}', region '{right}'";
            }
        }

        return "they differ";
    }

    [GeneratedRegex(@"^<!--\s*snippet:\s*([\w.-]+)\s*-->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\s*#region\s+([\w.-]+)\s*$")]
    private static partial Regex RegionStart();
}
