using Actorpool.Iterators;
using FsCheck.Xunit;

namespace Actorpool.Core.Tests.Iterators;

/// <summary>Every operation under every split equals sequential LINQ on random inputs.</summary>
public sealed class QueryPropertyTests(QueryPool fixture) : IClassFixture<QueryPool>
{
    private readonly WorkStealingPool _pool = fixture.Pool;

    [Property(MaxTest = 40)]
    public void NumericReductions_OverBareSources_EqualLinq(int[] xs, int seed) => QueryInputs.Guarded(() =>
    {
        var longs = QueryInputs.Longs(xs, seed);
        var ints = longs.Select(x => (int)x).ToArray();
        var doubles = longs.Select(x => x / 4.0).ToArray();   // exact in binary, so every order sums alike
        var floats = longs.Select(x => (float)x).ToArray();
        foreach (var split in QueryInputs.Splits)
        {
            Check(Par.Over(longs).On(_pool).With(split), longs, q => q.Sum(), e => e.Sum());
            Check(Par.Over(longs).On(_pool).With(split), longs, q => q.Min(), e => e.Min());
            Check(Par.Over(longs).On(_pool).With(split), longs, q => q.Max(), e => e.Max());
            Check(Par.Over(longs).On(_pool).With(split), longs, q => q.Average(), e => e.Average());
            Check(Par.Over(ints).On(_pool).With(split), ints, q => q.Sum(), e => e.Sum());
            Check(Par.Over(ints).On(_pool).With(split), ints, q => q.Min(), e => e.Min());
            Check(Par.Over(ints).On(_pool).With(split), ints, q => q.Average(), e => e.Average());
            Check(Par.Over(doubles).On(_pool).With(split), doubles, q => q.Sum(), e => e.Sum());
            Check(Par.Over(doubles).On(_pool).With(split), doubles, q => q.Max(), e => e.Max());
            Check(Par.Over(doubles).On(_pool).With(split), doubles, q => q.Average(), e => e.Average());
            Check(Par.Over(floats).On(_pool).With(split), floats, q => q.Sum(), e => e.Sum());
            Check(Par.Over(floats).On(_pool).With(split), floats, q => q.Min(), e => e.Min());
            Check(Par.Over(new ReadOnlyMemory<double>(doubles)).On(_pool).With(split), doubles, q => q.Min(), e => e.Min());
            Check(Par.Over(new List<float>(floats)).On(_pool).With(split), floats, q => q.Max(), e => e.Max());
        }
    });

    [Property(MaxTest = 40)]
    public void Pipelines_EqualLinq(int[] xs, int seed) => QueryInputs.Guarded(() =>
    {
        var longs = QueryInputs.Longs(xs, seed);
        foreach (var split in QueryInputs.Splits)
        {
            var q = Par.Over(longs).On(_pool).With(split);
            var piped = q.Select(x => x * 3).Where(x => x % 7 != 0);
            var linq = longs.Select(x => x * 3).Where(x => x % 7 != 0);
            Assert.Equal(linq.Sum(), piped.Sum());
            Assert.Equal(linq.ToArray(), q.Select<long, Triple>(default).Where(new NotMultipleOf7()).ToArray());
            Assert.Equal(linq.Count(), piped.Count());
            Assert.Equal(longs.Count(x => x > 10), q.Count(x => x > 10));
            Check(piped, linq, p => p.Max(), e => e.Max());
            Check(q.Select(x => x / 8.0), longs.Select(x => x / 8.0), p => p.Sum(), e => e.Sum());
            Check(q.Select(x => (int)x).Where(x => x > 0), longs.Select(x => (int)x).Where(x => x > 0), p => p.Average(), e => e.Average());
            Assert.Equal(linq.ToArray(), piped.ToArray());
            Assert.Equal(longs.Select(x => -x).ToList(), q.Select(x => -x).ToList());
            Assert.Equal(longs, q.ToArray());
            Assert.Equal(linq.Any(), piped.Any());
            Assert.Equal(longs.Any(x => x == 500), q.Any(x => x == 500));
            Assert.Equal(longs.All(x => x != 500), q.All(x => x != 500));
            Assert.Equal(linq.All(x => x > -2_000), piped.All(x => x > -2_000));
        }
    });

    [Property(MaxTest = 40)]
    public void OrderSensitiveOperations_EqualLinq(int[] xs, int seed) => QueryInputs.Guarded(() =>
    {
        var longs = QueryInputs.Longs(xs, seed);
        var positions = Enumerable.Range(0, longs.Length).ToArray();
        foreach (var split in QueryInputs.Splits)
        {
            var q = Par.Over(longs).On(_pool).With(split);
            Assert.Equal(Array.FindIndex(longs, x => x % 97 == 3), q.FirstIndex(x => x % 97 == 3));
            Assert.Equal(Array.FindIndex(longs, x => x > 990 && x % 2 == 0), q.Where(x => x % 2 == 0).FirstIndex(x => x > 990));
            Assert.Equal(longs.FirstOrDefault(x => x < -995), q.Find(x => x < -995));

            // A product of 2x2 matrices is associative but not commutative: equal only when combined in index order.
            var identity = (1L, 0L, 0L, 1L);
            Assert.Equal(longs.Aggregate(identity, Step), q.Aggregate(identity, Step, Multiply));

            // Ties on the key: the earliest element wins, as in LINQ.
            var pairs = Par.Zip(longs, positions).On(_pool).With(split);
            var zipped = longs.Zip(positions);
            if (longs.Length == 0)
            {
                Assert.Throws<InvalidOperationException>(() => pairs.MinBy(p => p.First % 10));
            }
            else
            {
                Assert.Equal(zipped.MinBy(p => p.First % 10), pairs.MinBy(p => p.First % 10));
                Assert.Equal(zipped.MaxBy(p => Math.Abs(p.First) % 13), pairs.MaxBy(p => Math.Abs(p.First) % 13));
            }

            Assert.Equal(zipped.Select(p => p.First * p.Second).Sum(), Par.Zip(longs, positions, (x, i) => x * i).On(_pool).With(split).Sum());
            long total = 0;
            var count = 0;
            q.ForEach(x =>
            {
                Interlocked.Add(ref total, x);
                Interlocked.Increment(ref count);
            });
            Assert.Equal((longs.Sum(), longs.Length), (total, count));
        }
    });

    [Theory(Timeout = 30_000)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4_097)]
    [InlineData(40_001)]
    public async Task EdgeLengths_EqualLinqUnderEverySplit(int length)
    {
        var longs = Enumerable.Range(0, length).Select(i => (long)((i * 7_919) % 1_001) - 500).ToArray();
        var doubles = longs.Select(x => x / 2.0).ToArray();
        await Scheduling.Watchdog.Run(() =>
        {
            foreach (var split in QueryInputs.Splits)
            {
                var q = Par.Over(longs).On(_pool).With(split);
                Assert.Equal(longs.Sum(), q.Sum());
                Assert.Equal(doubles.Sum(), Par.Over(doubles).On(_pool).With(split).Sum());
                Check(q, longs, p => p.Min(), e => e.Min());
                Check(Par.Over(doubles).On(_pool).With(split), doubles, p => p.Max(), e => e.Max());
                Assert.Equal(longs.Where(x => x > 0).ToArray(), q.Where(x => x > 0).ToArray());
                Assert.Equal(Array.FindIndex(longs, x => x == 499), q.FirstIndex(x => x == 499));
                Assert.Equal(longs.Length, q.Count());
            }
        });
    }

    [Property(MaxTest = 20)]
    public void Ranges_EqualLinq(short from, ushort length) => QueryInputs.Guarded(() =>
    {
        var to = from + (length % 20_000);
        foreach (var split in QueryInputs.Splits)
        {
            var q = Par.Range(from, to).On(_pool).With(split);
            var linq = Enumerable.Range(from, to - from);
            Assert.Equal(linq.Select(i => (long)i * i).Sum(), q.Select(i => (long)i * i).Sum());
            Assert.Equal(linq.Where(i => i % 3 == 0).ToArray(), q.Where(i => i % 3 == 0).ToArray());
            Assert.Equal(linq.ToList().FindIndex(i => i % 1_000 == 999), q.FirstIndex(i => i % 1_000 == 999));
        }
    });

    private readonly struct Triple : IParFunc<long, long>
    {
        public long Invoke(long item) => item * 3;
    }

    private readonly struct NotMultipleOf7 : IParFunc<long, bool>
    {
        public bool Invoke(long item) => item % 7 != 0;
    }

    private static (long, long, long, long) Step((long A, long B, long C, long D) m, long x) => Multiply(m, (x, 1, 1, 0));

    private static (long, long, long, long) Multiply((long A, long B, long C, long D) l, (long A, long B, long C, long D) r) => unchecked(
        ((l.A * r.A) + (l.B * r.C), (l.A * r.B) + (l.B * r.D), (l.C * r.A) + (l.D * r.C), (l.C * r.B) + (l.D * r.D)));

    /// <summary>Equal results, or the same exception type (LINQ's Min of nothing throws, and so must the query).</summary>
    private static void Check<TQ, TE, TR>(TQ query, TE linq, Func<TQ, TR> run, Func<TE, TR> expected)
    {
        TR want;
        try
        {
            want = expected(linq);
        }
        catch (InvalidOperationException)
        {
            Assert.Throws<InvalidOperationException>(() => run(query));
            return;
        }

        Assert.Equal(want, run(query));
    }
}
