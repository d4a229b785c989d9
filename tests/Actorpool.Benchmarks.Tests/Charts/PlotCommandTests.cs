using System.Buffers.Binary;
using Actorpool.Benchmarks.Charts;
using Actorpool.Benchmarks.Cli;

namespace Actorpool.Benchmarks.Tests.Charts;

/// <summary>`plot --from FILE --out DIR`: PNG charts of a `compare --json` file, and a clear error for a file that is not one.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorpool-plot-{Guid.NewGuid():N}");

    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Charts", "small-results.json");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Plot_SmallResultsFile_WritesAPngPerScenarioAndASummary_OfTheStatedSize()
    {
        var output = Path.Combine(_directory, "img");
        var (exit, error) = await RunAsync("plot", "--from", Fixture, "--out", output);

        Assert.True(exit == 0, error);
        Assert.Equal(["idle-cpu.png", "join-fib30.png", "summary.png"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // join-fib30 has three rows, idle-cpu two (no peer: drawn as medians), the summary one bar (join-fib30's best).
        foreach (var (name, bars) in new[] { ("join-fib30", 3), ("idle-cpu", 2), ("summary", 1) })
        {
            var png = await File.ReadAllBytesAsync(Path.Combine(output, name + ".png"));
            Assert.Equal(PngSignature, png[..8]);
            Assert.True(png.Length > 3_000, $"{name}.png has only {png.Length} bytes");
            // IHDR is the first chunk: length (4), type (4), then width and height, big-endian.
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
            Assert.Equal(ChartWriter.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(ChartWriter.HeightFor(bars), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.Contains($"wrote {Path.Combine(output, name + ".png")}", error, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Plot_MissingFile_Exits1_NamingTheFile_AndWritesNothing()
    {
        var missing = Path.Combine(_directory, "no-such-results.json");

        var (exit, error) = await RunAsync("plot", "--from", missing, "--out", _directory);

        Assert.Equal(1, exit);
        Assert.Contains($"Results file '{missing}' does not exist", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("{\"scenario\": \"x\"", "is not JSON")]
    [InlineData("{\"scenario\": \"x\"}", "holds a JSON Object, not the array of rows")]
    [InlineData("[]", "holds no rows")]
    [InlineData("[{\"system\": \"s\", \"metric\": \"ms\", \"is_peer\": true, \"median\": 1}]", "row 0 has no 'scenario' text")]
    [InlineData("[{\"scenario\": \"a\", \"system\": \"s\", \"metric\": \"ms\", \"is_peer\": true, \"median\": 1}, {\"scenario\": \"a\", \"system\": \"t\", \"metric\": \"ms\", \"is_peer\": false, \"median\": \"fast\"}]", "row 1 has 'median' = \"fast\", not a finite number")]
    [InlineData("[{\"scenario\": \"a\", \"system\": \"s\", \"metric\": \"ms\", \"median\": 1}]", "row 0 has no boolean 'is_peer'")]
    public async Task Plot_BadResultsFile_Exits1_NamingTheFileAndWhatIsWrong(string json, string what)
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "bad-results.json");
        await File.WriteAllTextAsync(file, json);
        var output = Path.Combine(_directory, "img");

        var (exit, error) = await RunAsync("plot", "--from", file, "--out", output);

        Assert.Equal(1, exit);
        Assert.Contains($"Results file '{file}'", error, StringComparison.Ordinal);
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("plot", "--from")]
    [InlineData("plot --from a.json --width 3", "--width")]
    public async Task Plot_MissingOrUnknownOption_Exits1_NamingIt(string commandLine, string named)
    {
        var (exit, error) = await RunAsync(commandLine.Split(' '));

        Assert.Equal(1, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Task.Run(() => BenchCommandLine.Run(args, output, error)).WaitAsync(TimeSpan.FromSeconds(50));
        return (exit, error.ToString());
    }
}
