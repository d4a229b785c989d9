using Actorpool.Examples.Tour;
using Newtonsoft.Json.Linq;

namespace Actorpool.Examples.Tests;

public sealed class TourExampleTests
{
    // Generous: the tour takes seconds, a slow CI machine may take much longer; nothing here checks speed.
    private static readonly TimeSpan Watchdog = TimeSpan.FromMinutes(3);

    [Fact(Timeout = 240_000)]
    public async Task Run_InAPlainConsole_PrintsTheSummaryWithNoEscapeCodes_AndTheIdentityHolds()
    {
        using var output = new StringWriter();

        var exitCode = await Task.Run(() => TourExample.Run(TourExample.CreateConsole(output, interactive: false), [])).WaitAsync(Watchdog);

        var text = output.ToString();
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("summary:", lines);
        var supervision = Assert.Single(lines, l => l.StartsWith("supervision:", StringComparison.Ordinal));
        Assert.EndsWith("(holds); restarts 40", supervision, StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("scaling:", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("backpressure:", StringComparison.Ordinal) && l.EndsWith("= 240000 of 240000", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("join:", StringComparison.Ordinal) && l.Contains("fib(36) = 14930352", StringComparison.Ordinal));
        Assert.EndsWith("; ok", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith('{'));
    }

    [Fact(Timeout = 240_000)]
    public async Task Run_InAnInteractiveConsole_DrawsTheLiveViewWithEscapeCodes_AndCompletes()
    {
        using var output = new StringWriter();

        var exitCode = await Task.Run(() => TourExample.Run(TourExample.CreateConsole(output, interactive: true), [])).WaitAsync(Watchdog);

        var text = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains('\u001b', text);
        Assert.Contains("Actorpool tour", text, StringComparison.Ordinal);
        Assert.Contains("summary:", text, StringComparison.Ordinal);
        Assert.Contains("(holds)", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 240_000)]
    public async Task Run_WithJson_PrintsASummaryThatParses_AndItsCountsSatisfyTheIdentity()
    {
        using var output = new StringWriter();

        var exitCode = await Task.Run(() => TourExample.Run(TourExample.CreateConsole(output, interactive: false), ["--json"])).WaitAsync(Watchdog);

        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exitCode);
        var summary = JObject.Parse(lines[^1]);
        var supervision = (JObject)summary["Supervision"]!;
        long Count(string name) => supervision.Value<long>(name);
        Assert.Equal(Count("Submitted"), Count("Completed") + Count("Failed") + Count("Rejected") + Count("Cancelled"));
        Assert.Equal(40, Count("Failed"));
        Assert.Equal(40, Count("Restarts"));
        Assert.True(Count("Submitted") >= 400);
        var backpressure = (JObject)summary["Backpressure"]!;
        Assert.Equal(backpressure.Value<long>("Expected"), backpressure.Value<long>("Drained") + backpressure.Value<long>("Collected"));
        var join = (JObject)summary["Join"]!;
        Assert.Equal(14930352, join.Value<long>("JoinValue"));
        Assert.Equal(14930352, join.Value<long>("TaskValue"));
        Assert.True(summary.Value<bool>("Ok"));
    }
}
