using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Newtonsoft.Json;
using Spectre.Console;

namespace Actorpool.Examples.Tour;

/// <summary>
/// The tour: the product in one run of a few seconds. (1) a supervision tree processing jobs while faults are
/// injected, (2) a pool scaling itself with its load, (3) a <c>RecvBurst</c> loop with backpressure, (4) a
/// join-heavy computation beside TPL. It ends with a summary; <c>--json</c> adds the summary as one line of JSON.
/// <see cref="Run"/> is what Program.cs and the example test call.
/// </summary>
public static class TourExample
{
    /// <summary>
    /// A console writing to <paramref name="output"/>: with <paramref name="interactive"/> a live view with ANSI
    /// escape codes, otherwise plain lines with none.
    /// </summary>
    public static IAnsiConsole CreateConsole(TextWriter output, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!interactive || output != Console.Out)
        {
            console.Profile.Width = 160; // a redirected or captured writer has no width of its own
        }

        return console;
    }

    /// <summary>Runs the tour to completion on <paramref name="console"/>; returns the exit code (0 = every check held).</summary>
    public static int Run(IAnsiConsole console, string[] args)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(args);
        var json = args.Contains("--json", StringComparer.Ordinal);
        var view = new TourView(console);
        if (!view.Live)
        {
            view.Line("Actorpool tour: supervision, scaling, backpressure, join");
        }

        var started = Stopwatch.GetTimestamp();
        var summary = view.Run(async () =>
        {
            using var system = ActorSystem.Create("tour", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
            var supervision = await SupervisionStage.RunAsync(system, view).ConfigureAwait(false);
            var scaling = await ScalingStage.RunAsync(system, view).ConfigureAwait(false);
            var backpressure = await BackpressureStage.RunAsync(system, view).ConfigureAwait(false);
            var join = await JoinStage.RunAsync(view).ConfigureAwait(false);
            await system.Terminate().ConfigureAwait(false);
            return new TourSummary(supervision, scaling, backpressure, join, 0);
        });
        summary = summary with { Seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 2) };

        foreach (var line in summary.Lines())
        {
            view.Line(line);
        }

        if (json)
        {
            view.Line(JsonConvert.SerializeObject(summary, Formatting.None));
        }

        return summary.Ok ? 0 : 1;
    }
}

/// <summary>What the tour found, stage by stage; <c>--json</c> prints it as JSON.</summary>
public sealed record TourSummary(SupervisionResult Supervision, ScalingResult Scaling, BackpressureResult Backpressure, JoinResult Join, double Seconds)
{
    /// <summary><c>true</c> when the checks that must hold on any machine held (timings are reported, never checked).</summary>
    public bool Ok => Supervision.IdentityHolds && Supervision.Restarts > 0 && Backpressure.AllArrived && Join.JoinValue == Join.TaskValue;

    /// <summary>The summary as plain lines.</summary>
    public IEnumerable<string> Lines()
    {
        yield return "summary:";
        yield return $"  supervision:  {Supervision.Identity()}";
        yield return $"  scaling:      {Scaling.Describe()}";
        yield return $"  backpressure: {Backpressure.Describe()}";
        yield return $"  join:         {Join.Describe()}";
        yield return string.Create(CultureInfo.InvariantCulture, $"  took {Seconds:F1} s; {(Ok ? "ok" : "FAILED")}");
    }
}
