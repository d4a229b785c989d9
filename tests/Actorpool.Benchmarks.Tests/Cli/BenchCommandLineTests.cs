using Actorpool.Benchmarks.Cli;
using Newtonsoft.Json.Linq;

namespace Actorpool.Benchmarks.Tests.Cli;

/// <summary>The benchmark tool's command line: the usages bench/README.md gives, and what it refuses.</summary>
public sealed class BenchCommandLineTests
{
    [Fact]
    public void Compare_QuickAndOnly_ParseAsTheReadmeWritesThem()
    {
        var parse = BenchCommandLine.Create().Parse(["compare", "--quick", "--only", "a,b", "--only", "c"]);

        Assert.Empty(parse.Errors);
        Assert.Empty(parse.UnmatchedTokens);
        Assert.Equal("compare", parse.CommandResult.Command.Name);
        Assert.True(parse.GetValue<bool>("--quick"));
        Assert.Equal(["a", "b", "c"], parse.GetValue<string[]>("--only")!);
        Assert.False(parse.GetValue<bool>("--list"));
        Assert.Null(parse.GetValue<FileInfo>("--json"));
    }

    [Fact]
    public void OtherArguments_GoToBenchmarkDotNet_InTheirOrder()
    {
        var parse = BenchCommandLine.Create().Parse(["--filter", "*Join*", "--job", "short"]);

        Assert.Empty(parse.Errors);
        Assert.Same(parse.RootCommandResult.Command, parse.CommandResult.Command);
        Assert.Equal(["--filter", "*Join*", "--job", "short"], parse.UnmatchedTokens);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("compare --quick --bogus", 1, "--bogus")]
    [InlineData("compare --only a b", 1, "b")]
    [InlineData("compare --only", 1, "--only")]
    [InlineData("compare --json", 1, "--json")]
    [InlineData("compare --quick --only no-such-scenario", 2, "no-such-scenario")]
    [InlineData("--filtr *Join*", 2, "filtr")]
    public async Task BadArguments_ExitNonZero_NamingTheBadOne_AndPrintNoResult(string commandLine, int exitCode, string named)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await Task.Run(() => BenchCommandLine.Run(commandLine.Split(' '), output, error)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(exitCode, exit);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("| scenario |", output.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Compare_WritesTheTableToOutput_ProgressToError_AndTheRowsToTheJsonFile()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var json = Path.Combine(Path.GetTempPath(), $"actorpool-bench-{Guid.NewGuid():N}.json");
        try
        {
            var exit = await Task.Run(() => BenchCommandLine.Run(["compare", "--quick", "--only", "sanity-sum", "--json", json], output, error))
                .WaitAsync(TimeSpan.FromSeconds(50));

            Assert.True(exit == 0, error.ToString());
            var table = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(["| scenario | system | metric | median | min | max | ratio vs best peer | target |", "|---|---|---|---:|---:|---:|---:|---|"], table[..2]);
            Assert.Equal(4, table.Length);
            Assert.All(table, line => Assert.StartsWith("|", line, StringComparison.Ordinal));
            Assert.Contains("   trial 3/3 Linq.Sum", error.ToString(), StringComparison.Ordinal);

            var rows = JArray.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal(2, rows.Count);
            Assert.All(rows, row => Assert.Equal("sanity-sum", (string?)row["scenario"]));
            Assert.Equal([true, false], rows.Select(row => (bool)row["is_peer"]!));
            Assert.All(rows, row => Assert.Equal(3, ((JArray)row["trials"]!).Count));
            Assert.All(rows, row => Assert.True((double)row["median"]! > 0));
        }
        finally
        {
            File.Delete(json);
        }
    }
}
