using System.Diagnostics;
using Actorpool.Examples.ClusterPool;

namespace Actorpool.Examples.Tests;

public sealed class ClusterPoolExampleTests
{
    [Fact(Timeout = 300_000)]
    public async Task Example_StartsThreeNodeProcesses_KillsOne_AndEveryJobCompletes()
    {
        // The example as a user runs it: its own process, which starts two more (three cluster nodes on loopback).
        var dll = typeof(ClusterPoolExample).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var output = await stdout + await stderr;
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains(lines, l => l.StartsWith("killed node-c", StringComparison.Ordinal));
        Assert.Contains($"jobs: submitted {ClusterPoolExample.Jobs}, completed {ClusterPoolExample.Jobs}, failed 0, rejected 0, cancelled 0, without outcome 0", lines);
        Assert.Contains(lines, l => l.StartsWith("node-c lost: 1 node(s), ", StringComparison.Ordinal));
        Assert.Contains("every job got exactly one outcome: all completed", lines);
        Assert.Contains(lines, l => l.StartsWith("node-b: 2 workers, ", StringComparison.Ordinal));
    }
}
