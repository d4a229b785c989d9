using System.Globalization;
using System.Reflection;
using Newtonsoft.Json;

namespace Actorpool.Benchmarks.Compare;

/// <summary>
/// The quick side-by-side mode: <c>compare [--quick] [--only a,b] [--list] [--json FILE]</c>. Runs every scenario's
/// systems interleaved (one trial of each system per round, after a warm-up round), prints a Markdown table to the
/// output (progress goes to the error writer) and, with <c>--json</c>, writes the rows to a file.
/// <c>ratio_vs_peer</c> is how many times better the row is than the best peer on the scenario's metric: above 1
/// is better, whichever direction the metric runs.
/// </summary>
public static class CompareRunner
{
    /// <summary>Runs the mode; returns the process exit code (1 when a scenario failed, 2 for an unknown scenario).</summary>
    public static int Run(CompareSettings settings, TextWriter output, TextWriter progress)
    {
        var scenarios = typeof(CompareRunner).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Scenario)) && !t.IsAbstract)
            .Select(t => (Scenario)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        if (settings.List)
        {
            foreach (var s in scenarios)
            {
                output.WriteLine($"{s.Name,-28} {s.Metric,-12} {s.Target}");
            }

            return 0;
        }

        if (settings.Only is { } only)
        {
            var unknown = only.Except(scenarios.Select(s => s.Name)).ToList();
            if (unknown.Count > 0 || only.Count == 0)
            {
                progress.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Use --list to see them.");
                return 2;
            }

            scenarios = scenarios.Where(s => only.Contains(s.Name)).ToList();
        }

        progress.WriteLine($"# compare: {scenarios.Count} scenario(s), {(settings.Quick ? "quick" : "full")} mode, " +
                           $"{Environment.ProcessorCount} cores, {RuntimeInformationText()}");
        var rows = new List<Row>();
        var failed = false;
        foreach (var scenario in scenarios)
        {
            try
            {
                rows.AddRange(RunScenario(scenario, settings.Quick, progress));
            }
            catch (Exception ex)
            {
                failed = true;
                progress.WriteLine($"scenario {scenario.Name} failed: {ex}");
            }
        }

        PrintTable(rows, output);
        if (settings.Json is { } json)
        {
            File.WriteAllText(json.FullName, JsonConvert.SerializeObject(rows.Select(JsonRow), Formatting.Indented) + "\n");
            progress.WriteLine($"# compare: {rows.Count} row(s) written to {json.FullName}");
        }

        return failed ? 1 : 0;
    }

    // One row of the --json file: the table's columns (NaN as null), every trial's value, and the target.
    private static object JsonRow(Row row) => new
    {
        scenario = row.Scenario,
        system = row.System,
        metric = row.Metric,
        is_peer = row.IsPeer,
        median = Round(row.Median),
        min = Round(row.Min),
        max = Round(row.Max),
        ratio_vs_peer = Round(row.RatioVsPeer),
        trials = row.Samples.Select(Round).ToArray(),
        target = row.Target,
        target_met = row.TargetMet,
    };

    private static List<Row> RunScenario(Scenario scenario, bool quick, TextWriter progress)
    {
        progress.WriteLine($"## {scenario.Name} ({scenario.Metric})");
        scenario.Progress = progress;
        scenario.Setup(quick);
        try
        {
            var contenders = scenario.Contenders(quick);
            if (!contenders.Any(c => c.IsPeer) && contenders.Count > 1)
            {
                throw new InvalidOperationException($"Scenario {scenario.Name} names no peer.");
            }

            // Warm-up rounds: JIT, tiering, pool threads started. Their values are discarded.
            for (var round = 0; round < scenario.WarmupRounds; round++)
            {
                foreach (var c in contenders)
                {
                    c.Run();
                }
            }

            var samples = contenders.ToDictionary(c => c.System, _ => new List<double>());
            var trials = scenario.Trials(quick);
            for (var t = 0; t < trials; t++)
            {
                foreach (var c in contenders)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var value = c.Run();
                    samples[c.System].Add(value);
                    progress.WriteLine($"   trial {t + 1}/{trials} {c.System,-28} {Format(value)} {scenario.Metric}");
                }
            }

            var medians = contenders.ToDictionary(c => c.System, c => Median(samples[c.System]));
            var peerMedians = contenders.Where(c => c.IsPeer).Select(c => medians[c.System]).ToList();
            var bestPeer = peerMedians.Count == 0
                ? double.NaN
                : scenario.HigherIsBetter ? peerMedians.Max() : peerMedians.Min();

            return contenders.Select(c =>
            {
                var median = medians[c.System];
                var ratio = double.IsNaN(bestPeer) ? double.NaN
                    : scenario.HigherIsBetter ? median / bestPeer : bestPeer / median;
                var ratios = contenders.Where(p => p.IsPeer).ToDictionary(p => p.System,
                    p => scenario.HigherIsBetter ? median / medians[p.System] : medians[p.System] / median);
                if (!c.IsPeer)
                {
                    progress.WriteLine($"   {c.System}: " + string.Join(", ", ratios.Select(r => $"{Format(r.Value)}x vs {r.Key}")));
                }

                var met = c.IsPeer ? null : scenario.TargetMet(c.System, median, ratio, ratios);
                return new Row(scenario.Name, c.System, scenario.Metric, median, samples[c.System].Min(),
                    samples[c.System].Max(), ratio, c.IsPeer, scenario.Target, met, samples[c.System]);
            }).ToList();
        }
        finally
        {
            scenario.Cleanup();
        }
    }

    private static void PrintTable(List<Row> rows, TextWriter output)
    {
        output.WriteLine("| scenario | system | metric | median | min | max | ratio vs best peer | target |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var target = r.IsPeer ? "(peer)" : r.TargetMet switch
            {
                true => $"met: {r.Target}",
                false => $"MISSED: {r.Target}",
                null => r.Target,
            };
            output.WriteLine($"| {r.Scenario} | {r.System} | {r.Metric} | {Format(r.Median)} | {Format(r.Min)} | " +
                              $"{Format(r.Max)} | {Format(r.RatioVsPeer)}x | {target} |");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double? Round(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? null : Math.Round(value, 4);

    private static string Format(double value) =>
        double.IsNaN(value) ? "-" : value.ToString(Math.Abs(value) >= 100 ? "F0" : "G4", CultureInfo.InvariantCulture);

    private static string RuntimeInformationText() =>
        $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
        $"{Assembly.GetExecutingAssembly().GetCustomAttribute<System.Reflection.AssemblyConfigurationAttribute>()?.Configuration}";

    private sealed record Row(
        string Scenario,
        string System,
        string Metric,
        double Median,
        double Min,
        double Max,
        double RatioVsPeer,
        bool IsPeer,
        string Target,
        bool? TargetMet,
        IReadOnlyList<double> Samples);
}
