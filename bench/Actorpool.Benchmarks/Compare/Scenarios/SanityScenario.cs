namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// Checks the compare mode itself: a sum over an array done by LINQ (the peer) and by a plain loop.
/// Real scenarios live beside this file, one per issue target.
/// </summary>
public sealed class SanityScenario : Scenario
{
    private long[] _data = [];

    public override string Name => "sanity-sum";

    public override string Metric => "ms";

    public override bool HigherIsBetter => false;

    public override void Setup(bool quick) => _data = Enumerable.Range(0, 1_000_000).Select(i => (long)i).ToArray();

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Linq.Sum", true, () => Time(() => _data.Sum())),
        new("for loop", false, () => Time(() =>
        {
            long s = 0;
            foreach (var v in _data)
            {
                s += v;
            }

            return s;
        })),
    ];

    private static double Time(Func<long> body)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = body();
        sw.Stop();
        const long expected = 999_999L * 1_000_000L / 2;
        return result != expected
            ? throw new InvalidOperationException($"Wrong sum {result}, expected {expected}")
            : sw.Elapsed.TotalMilliseconds;
    }
}
