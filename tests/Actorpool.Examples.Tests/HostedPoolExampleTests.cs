using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Actorpool.Examples.Tests;

/// <summary>
/// Runs examples/HostedPool as a real process from the repository root (as <c>dotnet run --project examples/HostedPool</c>
/// does, so its appsettings.json is not in the working directory) and stops it with SIGTERM, as an orchestrator would.
/// </summary>
public partial class HostedPoolExampleTests
{
    [Fact(Timeout = 60_000)]
    public async Task Sigterm_DrainsInFlightJobs_GivesEveryJobOneOutcome_AndExitsZero()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Actorpool.Examples.HostedPool.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var enoughOutcomes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
                if (lines.Count(l => l.StartsWith("outcome ", StringComparison.Ordinal)) >= 50)
                {
                    enoughOutcomes.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await enoughOutcomes.Task.WaitAsync(TimeSpan.FromSeconds(30));
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.WaitForExit(); // flushes the redirected output
        string[] output;
        lock (lines)
        {
            output = [.. lines];
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {await stderr}");
        var submitted = output.Where(l => l.StartsWith("submitted ", StringComparison.Ordinal)).Select(l => int.Parse(l[10..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var outcomes = output.Select(l => Outcome().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(submitted.Count, submitted.Distinct().Count());
        Assert.Equal(submitted.Order(), outcomes.Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.DoesNotContain(outcomes, m => m.Groups[2].Value is "cancelled" or "rejected");

        // Work still in flight when the signal arrived was finished by the drain, after the host began stopping.
        var stopping = Array.IndexOf(output, "stopping: draining the pool");
        Assert.True(stopping >= 0, "the example never reported its stop");
        Assert.Contains(output.Skip(stopping), l => l.StartsWith("outcome ", StringComparison.Ordinal));
        var counts = outcomes.GroupBy(m => m.Groups[2].Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Contains(
            $"summary submitted={submitted.Count} completed={counts.GetValueOrDefault("completed")} failed={counts.GetValueOrDefault("failed")} rejected=0 cancelled=0 pending=0",
            output);
        Assert.Contains(output, l => l.EndsWith($"Pool thumbnails drained; {counts.GetValueOrDefault("completed")} jobs completed over its life", StringComparison.Ordinal));

        // appsettings.json was read although the working directory is not the app's folder: its system name, its
        // one-line log format.
        Assert.Contains(output, l => l.StartsWith("info: ", StringComparison.Ordinal) && l.EndsWith("Actorpool started on actor system hosted-pool (owned by the host: True)", StringComparison.Ordinal));

        // Each planned failure is one warning naming the exception, not an error with a stack trace.
        var failed = outcomes.Where(m => m.Groups[2].Value == "failed").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(failed);
        foreach (var id in failed)
        {
            Assert.Single(output, l => l.StartsWith("warn: ", StringComparison.Ordinal) && l.EndsWith($"Job {id} failed: InvalidOperationException: job {id} is corrupt", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(output, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    // The folder of Actorpool.sln above the test's output folder.
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actorpool.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Actorpool.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("^outcome (\\d+) (completed|failed|rejected|cancelled)$")]
    private static partial Regex Outcome();
}
