using System.Buffers.Binary;
using Actorpool.Benchmarks.Charts;

namespace Actorpool.Benchmarks.Tests.Charts;

/// <summary>
/// The charts in docs/img/bench are what `plot` draws from the results file beside them: one per scenario of that file
/// and the summary, each of the size <see cref="ChartWriter"/> gives its bar count (sizes, not bytes: the bytes depend
/// on the fonts of the machine that drew them).
/// </summary>
public sealed class DocsPicturesTests
{
    [Fact]
    public void DocsPictures_AreOnePerScenarioOfTheCommittedResults_PlusTheSummary_OfTheirStatedSizes()
    {
        var folder = Path.Combine(RepositoryRoot(), "docs", "img", "bench");
        var rows = ResultsFile.Read(Path.Combine(folder, "compare-quick.json"));
        var expected = rows.GroupBy(r => r.Scenario).ToDictionary(g => g.Key + ".png", g => g.Count());
        expected[ChartWriter.SummaryName + ".png"] = rows.Where(r => !r.IsPeer && r.RatioVsPeer is not null).Select(r => r.Scenario).Distinct().Count();

        var pictures = Directory.GetFiles(folder, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), pictures);
        foreach (var (name, bars) in expected)
        {
            var png = File.ReadAllBytes(Path.Combine(folder, name));
            Assert.Equal((ChartWriter.Width, ChartWriter.HeightFor(bars)),
                (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        }
    }

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
}
