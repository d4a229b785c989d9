using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace Actorpool.Benchmarks.Charts;

/// <summary>
/// Draws the rows of a <c>compare --json</c> file as PNG bar charts: one per scenario (each system's ratio to the
/// best peer, or its median where the scenario has no peer) and <c>summary.png</c> (each scenario's best Actorpool
/// row against its best peer). A chart is <see cref="Width"/> pixels wide and <see cref="HeightFor"/> its bar count
/// high, so the same file always gives pictures of the same size.
/// </summary>
public static class ChartWriter
{
    /// <summary>Every chart's width in pixels.</summary>
    public const int Width = 1000;

    /// <summary>The name of the chart of every scenario's best ratio.</summary>
    public const string SummaryName = "summary";

    private static readonly Color PeerColor = Color.FromHex("#9e9e9e");
    private static readonly Color OursColor = Color.FromHex("#1f6fb2");
    private static readonly Color BehindColor = Color.FromHex("#d9822b");

    // The first sans-serif family this machine has (ScottPlot's own pick can be a serif face on Linux).
    private static readonly string FontName =
        new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }
            .FirstOrDefault(f => SKFontManager.Default.FontFamilies.Contains(f, StringComparer.OrdinalIgnoreCase))
        ?? Fonts.Default;

    private const string RatioAxis = "times better than the best peer (dashed: 1, as good; above 1 is better)";
    private const float NameSize = 15;
    private const float LabelSize = 14;

    /// <summary>A chart's height in pixels: a fixed frame plus a fixed band per bar.</summary>
    public static int HeightFor(int bars) => 150 + 42 * bars;

    /// <summary>Writes <c>{scenario}.png</c> per scenario and <c>summary.png</c> into <paramref name="directory"/> (created if missing); returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(IReadOnlyList<ResultRow> rows, string directory, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (SKFontManager.Default.FontFamilyCount == 0)
        {
            progress.WriteLine("warning: this machine has no fonts SkiaSharp can find (e.g. /usr/share/fonts); the charts will have no text.");
        }

        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var scenarios = rows.GroupBy(r => r.Scenario, StringComparer.Ordinal).ToList();
        foreach (var scenario in scenarios)
        {
            var bars = scenario.ToList();
            written.Add(Save(ScenarioChart(scenario.Key, bars), directory, scenario.Key, bars.Count));
        }

        var best = scenarios
            .Select(s => s.Where(r => !r.IsPeer && r.RatioVsPeer is not null).MaxBy(r => r.RatioVsPeer))
            .OfType<ResultRow>()
            .ToList();
        if (best.Count > 0)
        {
            written.Add(Save(SummaryChart(best), directory, SummaryName, best.Count));
        }

        foreach (var path in written)
        {
            progress.WriteLine($"# plot: wrote {path}");
        }

        return written;
    }

    private static Plot ScenarioChart(string scenario, List<ResultRow> rows)
    {
        var byRatio = rows.Any(r => r.RatioVsPeer is not null);
        var metric = rows[0].Metric;
        var bars = rows.Select(r => new Bar
        {
            Value = byRatio ? r.RatioVsPeer ?? 0 : r.Median,
            FillColor = r.IsPeer ? PeerColor : byRatio && r.RatioVsPeer < 1 ? BehindColor : OursColor,
            Label = byRatio
                ? $"{Number(r.RatioVsPeer ?? 0)}x ({Number(r.Median)} {metric})"
                : $"{Number(r.Median)} {metric}",
        }).ToList();

        return byRatio
            ? HorizontalBars(bars, [.. rows.Select(r => r.IsPeer ? $"{r.System} (peer)" : r.System)],
                $"{scenario}: ratio (median in {metric})", RatioAxis, referenceAtOne: true)
            : HorizontalBars(bars, [.. rows.Select(r => r.System)], $"{scenario}: median (no peer)", metric, referenceAtOne: false);
    }

    private static Plot SummaryChart(List<ResultRow> best)
    {
        var bars = best.Select(r => new Bar
        {
            Value = r.RatioVsPeer!.Value,
            FillColor = r.RatioVsPeer < 1 ? BehindColor : OursColor,
            Label = $"{Number(r.RatioVsPeer!.Value)}x ({r.System})",
        }).ToList();
        return HorizontalBars(bars, [.. best.Select(r => r.Scenario)],
            "Actorpool's best row per scenario", RatioAxis, referenceAtOne: true);
    }

    // Bars top to bottom in the given order, one tick label per bar on the left, each bar's label past its end.
    private static Plot HorizontalBars(List<Bar> bars, string[] names, string title, string axisLabel, bool referenceAtOne)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        var positions = new double[bars.Count];
        for (var i = 0; i < bars.Count; i++)
        {
            positions[i] = bars.Count - 1 - i;
            bars[i].Position = positions[i];
            bars[i].LineWidth = 0;
        }

        // The line at 1 goes first, so that the bars are drawn over it; it is faint, so a label it crosses stays legible.
        if (referenceAtOne)
        {
            var one = plot.Add.Line(1, -0.6, 1, bars.Count - 0.4);
            one.LinePattern = LinePattern.Dashed;
            one.LineWidth = 1.5f;
            one.Color = Colors.Black.WithAlpha(0.45);
        }

        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        series.ValueLabelStyle.FontSize = LabelSize;

        plot.Axes.Left.SetTicks(positions, names);
        plot.Axes.Left.TickLabelStyle.FontSize = NameSize;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.Label.Text = axisLabel;
        plot.Axes.Bottom.Label.FontSize = 14;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Title.Label.Text = title;
        plot.Axes.Title.Label.FontSize = 17;
        plot.Grid.YAxisStyle.IsVisible = false;

        // The axis starts at 0 so bar lengths compare, and ends where every bar's label fits past its bar.
        plot.Axes.SetLimits(0, AxisEnd(bars, names, referenceAtOne), -0.6, bars.Count - 0.4);
        return plot;
    }

    // The data area is the width less the names on the left and a margin; a bar of value v ends at v / end of it, and
    // its label (measured in the chart's font) must end inside it.
    private static double AxisEnd(List<Bar> bars, string[] names, bool referenceAtOne)
    {
        using var nameFont = new SKFont(Fonts.GetTypeface(FontName, bold: false, italic: false), NameSize);
        using var labelFont = new SKFont(Fonts.GetTypeface(FontName, bold: false, italic: false), LabelSize);
        var area = Width - names.Max(n => nameFont.MeasureText(n)) - 60;
        var end = Math.Max(bars.Max(b => b.Value), referenceAtOne ? 1 : 0) * 1.05;
        foreach (var bar in bars)
        {
            var share = (labelFont.MeasureText(bar.Label) + 16) / area;
            end = Math.Max(end, bar.Value / Math.Max(1 - share, 0.1));
        }

        return end;
    }

    private static string Save(Plot plot, string directory, string name, int bars)
    {
        var path = Path.Combine(directory, FileName(name) + ".png");
        plot.SavePng(path, Width, HeightFor(bars));
        return path;
    }

    // Scenario names are kebab-case today; anything else a file name cannot hold becomes '-'.
    private static string FileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string([.. name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '-' : c)]);
    }

    private static string Number(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "F0" : "G3", CultureInfo.InvariantCulture);
}
