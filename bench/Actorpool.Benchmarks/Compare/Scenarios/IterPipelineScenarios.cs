using Actorpool.Benchmarks.Iterators;
using Actorpool.Iterators;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>Select(x => x * 3).Where(x => x % 7 != 0).Sum() over 10M longs: a fused pipeline against PLINQ and LINQ, in ms.</summary>
public sealed class IterSelectWhereSumScenario : IterScenario<long>
{
    private const int N = 10_000_000;
    private const string Plinq = "PLINQ Select.Where.Sum";
    private const string Linq = "LINQ Select.Where.Sum";
    private long _expected;

    public override string Name => "iter-select-where-sum";

    public override string Metric => "ms";

    public override int Trials(bool quick) => quick ? 5 : 9;

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 2, [Linq] = 1.6 };

    protected override long[] Build() => [.. Enumerable.Range(0, N).Select(i => (long)i)];

    public override void Setup(bool quick)
    {
        base.Setup(quick);
        _expected = Data.Select(x => x * 3).Where(x => x % 7 != 0).Sum();
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Millis(() => Data.AsParallel().Select(x => x * 3).Where(x => x % 7 != 0).Sum(), r => r == _expected)),
        new(Linq, true, () => Millis(() => Data.Select(x => x * 3).Where(x => x % 7 != 0).Sum(), r => r == _expected)),
        new("Actorpool Par.Over.Select.Where.Sum", false, () => Millis(
            () => Par.Over(Data).On(Pool).Select(x => x * 3).Where(x => x % 7 != 0).Sum(), r => r == _expected)),
        new("Actorpool struct functors (IParFunc)", false, () => Millis(
            () => Par.Over(Data).On(Pool).Select<long, QueryFunctors.Triple>(default).Where(new QueryFunctors.NotMultipleOf7()).Sum(), r => r == _expected)),
    ];
}


/// <summary>Select(f).ToArray() over 10M doubles with the order kept, in ms.</summary>
public sealed class IterSelectToArrayScenario : IterScenario<double>
{
    private const int N = 10_000_000;
    private const string Plinq = "PLINQ AsOrdered().Select.ToArray";

    public override string Name => "iter-select-toarray";

    public override string Metric => "ms";

    public override int Trials(bool quick) => quick ? 5 : 9;

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 1.5 };

    protected override double[] Build() => [.. Enumerable.Range(0, N).Select(i => (double)i)];

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Millis(() => Data.AsParallel().AsOrdered().Select(F).ToArray(), Check)),
        new("LINQ Select.ToArray (sequential, not a target)", true, () => Millis(() => Data.Select(F).ToArray(), Check)),
        new("Actorpool Par.Over.Select.ToArray", false, () => Millis(() => Par.Over(Data).On(Pool).Select(F).ToArray(), Check)),
    ];

    private static double F(double x) => (Math.Sqrt(x) * 2) + 1;

    private static bool Check(double[] result) =>
        result.Length == N && result[0] == F(0) && result[N / 2] == F(N / 2) && result[^1] == F(N - 1);
}

/// <summary>The index of the first match, placed at 10% of 10M ints (the earliest match, not any match), in ms.</summary>
public sealed class IterFirstIndexScenario : IterScenario<int>
{
    private const int N = 10_000_000;
    private const int At = N / 10;
    private const string Plinq = "PLINQ AsOrdered().Select((x, i)).First";
    private const string Linq = "LINQ Array.FindIndex";

    public override string Name => "iter-firstindex";

    public override string Metric => "ms";

    public override int Trials(bool quick) => quick ? 5 : 9;

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 2 };

    protected override int[] Build()
    {
        var data = new int[N];
        data[At] = 1;
        data[At + 1] = 1;
        data[N - 5] = 1;
        return data;
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Millis(() => Data.AsParallel().AsOrdered().Select((x, i) => (x, i)).First(p => p.x == 1).i, r => r == At)),
        new(Linq, true, () => Millis(() => Array.FindIndex(Data, x => x == 1), r => r == At)),
        new("Actorpool Par.Over.FirstIndex", false, () => Millis(() => Par.Over(Data).On(Pool).FirstIndex(x => x == 1), r => r == At)),
    ];
}
