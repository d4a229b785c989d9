namespace Actorpool.Core.Tests.Scheduling;

public sealed class LoopTests
{
    public static TheoryData<string, int, int> Splits() => new()
    {
        { "ByThreads", 0, 1_001 },
        { "ByThreads", 5, 7 },
        { "PerItem", -20, 517 },
        { "Chunks(7)", 0, 100_003 },
        { "Chunks(50)", 3, 10 },
        { "ChunkSize(64)", 0, 10_000 },
        { "ChunkSize(1000)", 10, 11 },
        { "ByThreads", 4, 4 },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Splits))]
    public async Task For_EverySplit_CoversEachIndexExactlyOnce(string split, int from, int to)
    {
        using var pool = Watchdog.Pool(3);
        var hits = new int[to - from];
        await Watchdog.Run(() => pool.For(from, to, i => Interlocked.Increment(ref hits[i - from]), Parse(split)));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Splits))]
    public async Task Reduce_EverySplit_CombinesInIndexOrder(string split, int from, int to)
    {
        using var pool = Watchdog.Pool(3);
        var sequential = string.Concat(Enumerable.Range(from, to - from).Select(i => (char)('a' + (((i % 26) + 26) % 26))));
        var parallel = "";
        await Watchdog.Run(() => parallel = pool.Reduce(from, to, "", i => ((char)('a' + (((i % 26) + 26) % 26))).ToString(),
            string.Concat, Parse(split)));
        Assert.Equal(sequential, parallel);
    }

    [Fact(Timeout = 30_000)]
    public async Task ForRange_ChunkSize_GivesUnitsOfThatSize()
    {
        using var pool = Watchdog.Pool(2);
        var units = new List<(int, int)>();
        await Watchdog.Run(() => pool.ForRange(0, 10, (s, e) =>
        {
            lock (units)
            {
                units.Add((s, e));
            }
        }, Split.ChunkSize(4)));
        Assert.Equal([(0, 4), (4, 8), (8, 10)], units.Order());
    }

    [Fact(Timeout = 30_000)]
    public async Task Reduce_OverMemory_SumsEveryElement()
    {
        using var pool = Watchdog.Pool(2);
        var data = Enumerable.Range(0, 1_000_000).Select(i => (long)i).ToArray();
        long sum = 0;
        await Watchdog.Run(() => sum = pool.Reduce<long, long>(data, 0L, span =>
        {
            long s = 0;
            foreach (var v in span)
            {
                s += v;
            }

            return s;
        }, (a, b) => a + b));
        Assert.Equal(999_999L * 1_000_000L / 2, sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task For_OverArray_VisitsEveryElement()
    {
        using var pool = Watchdog.Pool(2);
        var items = Enumerable.Range(1, 1000).ToArray();
        long sum = 0;
        await Watchdog.Run(() => pool.For(items, v => Interlocked.Add(ref sum, v), Split.PerItem));
        Assert.Equal(500_500, sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task For_WhenUnitsThrow_RunsEveryUnitThenThrowsFlatAggregate()
    {
        using var pool = Watchdog.Pool(2);
        var ran = 0;
        await Watchdog.Run(() =>
        {
            var ex = Assert.Throws<AggregateException>(() => pool.For(0, 64, i =>
            {
                Interlocked.Increment(ref ran);
                if (i % 16 == 5)
                {
                    throw new InvalidOperationException($"index {i}");
                }
            }, Split.PerItem));
            Assert.Equal(["index 21", "index 37", "index 5", "index 53"], ex.InnerExceptions.Select(e => e.Message).Order());
            Assert.All(ex.InnerExceptions, e => Assert.IsType<InvalidOperationException>(e));
        });
        Assert.Equal(64, ran);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reduce_WhenOneUnitThrows_RethrowsThatException()
    {
        using var pool = Watchdog.Pool(2);
        await Watchdog.Run(() => Assert.Throws<DivideByZeroException>(() =>
            pool.Reduce(0, 10, 0, i => 10 / (i - 7), (a, b) => a + b, Split.Chunks(3))));
    }

    [Fact]
    public void Splits_WithBadSizes_ThrowNamingTheValue()
    {
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => Split.Chunks(0)).ParamName);
        Assert.Contains("was -1", Assert.Throws<ArgumentOutOfRangeException>(() => Split.ChunkSize(-1)).Message, StringComparison.Ordinal);
        using var pool = Watchdog.Pool(1);
        Assert.Equal("to", Assert.Throws<ArgumentOutOfRangeException>(() => pool.For(5, 4, _ => { })).ParamName);
    }

    [Fact(Timeout = 30_000)]
    public async Task Fork_Facade_RunsOnTheDefaultPool()
    {
        var (a, b) = (0, 0);
        long sum = 0;
        await Watchdog.Run(() =>
        {
            (a, b) = Fork.Join(() => 1, () => 2);
            Fork.For(0, 100, i => Interlocked.Add(ref sum, i));
        });
        Assert.Equal((1, 2), (a, b));
        Assert.Equal(4950, sum);
        Assert.Equal(4950, Fork.Reduce(0, 100, 0, i => i, (x, y) => x + y));
        Assert.Equal(9, await Fork.Spawn(() => 9).AsTask().WaitAsync(Watchdog.Limit));
    }

    private static Split Parse(string split) => split switch
    {
        "ByThreads" => Split.ByThreads,
        "PerItem" => Split.PerItem,
        _ when split.StartsWith("Chunks(", StringComparison.Ordinal) => Split.Chunks(int.Parse(split[7..^1], System.Globalization.CultureInfo.InvariantCulture)),
        _ => Split.ChunkSize(int.Parse(split[10..^1], System.Globalization.CultureInfo.InvariantCulture)),
    };
}
