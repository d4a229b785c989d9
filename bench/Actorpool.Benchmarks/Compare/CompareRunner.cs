using System.Globalization;
using System.Reflection;
using Newtonsoft.Json;

namespace Actorpool.Benchmarks.Compare;

/// <summary>
/// The quick side-by-side mode: <c>compare [--quick] [--only a,b] [--list]</c>. Runs every scenario's
/// systems interleaved (one trial of each system per round, after a warm-up round), prints a table and
/// one JSON line per row. <c>ratio_vs_peer</c> is how many times better the row is than the best peer
/// on the scenario's metric: above 1 is better, whichever direction the metric runs.
/// </summary>
public static class CompareRunner
{
    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var onlyIndex = Array.IndexOf(args, "--only");
        var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length
            ? args[onlyIndex + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;

        var scenarios = typeof(CompareRunner).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Scenario)) && !t.IsAbstract)
            .Select(t => (Scenario)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        if (args.Contains("--list"))
        {
            foreach (var s in scenarios)
            {
                Console.WriteLine($"{s.Name,-28} {s.Metric,-12} {s.Target}");
            }

            return 0;
        }

        if (only is not null)
        {
            var unknown = only.Except(scenarios.Select(s => s.Name)).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Use --list to see them.");
                return 2;
            }

            scenarios = scenarios.Where(s => only.Contains(s.Name)).ToList();
        }

        Console.WriteLine($"# compare: {scenarios.Count} scenario(s), {(quick ? "quick" : "full")} mode, " +
                          $"{Environment.ProcessorCount} cores, {RuntimeInformationText()}");
        var rows = new List<Row>();
        var failed = false;
        foreach (var scenario in scenarios)
        {
            try
            {
                rows.AddRange(RunScenario(scenario, quick));
            }
            catch (Exception ex)
            {
                failed = true;
                Console.Error.WriteLine($"scenario {scenario.Name} failed: {ex}");
            }
        }

        PrintTable(rows);
        foreach (var row in rows)
        {
            Console.WriteLine(JsonConvert.SerializeObject(new
            {
                scenario = row.Scenario,
                system = row.System,
                metric = row.Metric,
                median = Round(row.Median),
                min = Round(row.Min),
                max = Round(row.Max),
                ratio_vs_peer = Round(row.RatioVsPeer),
            }));
        }

        return failed ? 1 : 0;
    }

    private static List<Row> RunScenario(Scenario scenario, bool quick)
    {
        Console.WriteLine($"## {scenario.Name} ({scenario.Metric})");
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
                    Console.WriteLine($"   trial {t + 1}/{trials} {c.System,-28} {Format(value)} {scenario.Metric}");
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
                    Console.WriteLine($"   {c.System}: " + string.Join(", ", ratios.Select(r => $"{Format(r.Value)}x vs {r.Key}")));
                }

                var met = c.IsPeer ? null : scenario.TargetMet(median, ratio, ratios);
                return new Row(scenario.Name, c.System, scenario.Metric, median, samples[c.System].Min(),
                    samples[c.System].Max(), ratio, c.IsPeer, scenario.Target, met);
            }).ToList();
        }
        finally
        {
            scenario.Cleanup();
        }
    }

    private static void PrintTable(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| scenario | system | metric | median | min | max | ratio vs best peer | target |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var target = r.IsPeer ? "(peer)" : r.TargetMet switch
            {
                true => $"met: {r.Target}",
                false => $"MISSED: {r.Target}",
                null => r.Target,
            };
            Console.WriteLine($"| {r.Scenario} | {r.System} | {r.Metric} | {Format(r.Median)} | {Format(r.Min)} | " +
                              $"{Format(r.Max)} | {Format(r.RatioVsPeer)}x | {target} |");
        }

        Console.WriteLine();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double Round(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? 0 : Math.Round(value, 4);

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
        bool? TargetMet);
}
