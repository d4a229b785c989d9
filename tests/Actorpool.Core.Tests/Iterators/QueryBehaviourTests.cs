using Actorpool.Core.Tests.Scheduling;
using Actorpool.Iterators;

namespace Actorpool.Core.Tests.Iterators;

/// <summary>Determinism, early exit, failures and cancellation of parallel queries.</summary>
public sealed class QueryBehaviourTests
{
    private const int Large = 1_000_000;

    [Fact(Timeout = 60_000)]
    public async Task Sum_OfDoubles_HasTheSameBitsAcrossRunsSplitsAndPools()
    {
        var random = new Random(17);
        var data = Enumerable.Range(0, 300_007).Select(_ => (random.NextDouble() - 0.3) * 1e6).ToArray();
        var floats = data.Select(x => (float)x).ToArray();
        var pools = new[] { Watchdog.Pool(1), Watchdog.Pool(2), Watchdog.Pool(3) };
        try
        {
            await Watchdog.Run(() =>
            {
                // A bare source sums fixed blocks in a fixed tree: one answer for every split and pool.
                var bare = Bits(Par.Over(data).On(pools[0]).Sum());
                var bareFloat = BitConverter.SingleToInt32Bits(Par.Over(floats).On(pools[0]).Sum());
                foreach (var pool in pools)
                {
                    foreach (var split in QueryInputs.Splits)
                    {
                        Assert.Equal(bare, Bits(Par.Over(data).On(pool).With(split).Sum()));
                        Assert.Equal(bareFloat, BitConverter.SingleToInt32Bits(Par.Over(floats).On(pool).With(split).Sum()));
                    }
                }

                // A pipeline folds the split's units: the same bits for the same split on any pool.
                foreach (var split in new[] { Split.Chunks(8), Split.ChunkSize(1_000), Split.PerItem })
                {
                    var first = Bits(Par.Over(data).On(pools[0]).With(split).Select(x => x * 1.1).Sum());
                    foreach (var pool in pools)
                    {
                        for (var run = 0; run < 3; run++)
                        {
                            Assert.Equal(first, Bits(Par.Over(data).On(pool).With(split).Select(x => x * 1.1).Sum()));
                        }
                    }
                }

                // ByThreads cuts one unit per pool thread: the same bits on every run on one pool.
                var byThreads = Bits(Par.Over(data).On(pools[2]).Select(x => x * 1.1).Sum());
                for (var run = 0; run < 5; run++)
                {
                    Assert.Equal(byThreads, Bits(Par.Over(data).On(pools[2]).Select(x => x * 1.1).Sum()));
                }
            });
        }
        finally
        {
            foreach (var pool in pools)
            {
                pool.Dispose();
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Sum_OfTheReadmeRange_Is49995000()
    {
        long sum = 0;
        await Watchdog.Run(() => sum = Par.Range(0, 10_000).Select(x => (long)x).With(Split.ByThreads).Sum());
        Assert.Equal(49_995_000, sum);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Any_WithAMatchAtTheStart_StopsLongBeforeVisitingEverything(bool all)
    {
        using var pool = Watchdog.Pool(3);
        var visited = 0;
        var answer = all;
        await Watchdog.Run(() => answer = all
            ? Par.Range(0, Large).On(pool).All(i => Interlocked.Increment(ref visited) > 0 && i != 5)
            : Par.Range(0, Large).On(pool).Any(i => Interlocked.Increment(ref visited) > 0 && i == 5));

        // Searches run in waves in index order; the first wave (8192 per thread) holds the match.
        Assert.Equal(!all, answer);
        Assert.InRange(visited, 6, 3 * QueryDriver.FirstWavePerThread);
    }

    [Fact(Timeout = 30_000)]
    public async Task FirstIndex_SkipsWorkAfterTheMatchButFindsTheEarliest()
    {
        using var pool = Watchdog.Pool(3);
        var data = Enumerable.Range(0, Large).Select(i => i % 50_000 == 49_999 ? 1 : 0).ToArray();
        var visited = 0;
        var index = 0;
        await Watchdog.Run(() => index = Par.Over(data).On(pool).With(Split.PerItem)
            .FirstIndex(x => Interlocked.Increment(ref visited) > 0 && x == 1));
        Assert.Equal(49_999, index);
        Assert.InRange(visited, 50_000, Large / 2);
    }

    [Fact(Timeout = 30_000)]
    public async Task ForEach_WhenEveryUnitThrows_RethrowsAllAfterEveryUnitStopped_AsForDoes()
    {
        using var pool = Watchdog.Pool(3);
        var active = 0;
        Exception? fromQuery = null;
        Exception? fromFor = null;
        var activeAtCatch = -1;
        await Watchdog.Run(() =>
        {
            void Body(int i)
            {
                Interlocked.Increment(ref active);
                try
                {
                    Thread.SpinWait(1_000 * (i % 4));
                    throw new InvalidOperationException($"unit {i}");
                }
                finally
                {
                    Interlocked.Decrement(ref active);
                }
            }

            fromQuery = Record.Exception(() => Par.Range(0, 10).On(pool).With(Split.PerItem).ForEach(Body));
            activeAtCatch = Volatile.Read(ref active);
            fromFor = Record.Exception(() => pool.For(0, 10, Body, Split.PerItem));
        });
        Assert.Equal(0, activeAtCatch);
        var aggregate = Assert.IsType<AggregateException>(fromQuery);
        Assert.Equal(fromFor!.GetType(), aggregate.GetType());
        Assert.Equal(
            Enumerable.Range(0, 10).Select(i => $"unit {i}").Order(),
            aggregate.InnerExceptions.Select(e => Assert.IsType<InvalidOperationException>(e).Message).Order());
    }

    [Fact(Timeout = 30_000)]
    public async Task ForEach_TheCallerRunsTheFirstUnitItself_AndEveryElementRunsOnce()
    {
        using var pool = Watchdog.Pool(2);
        var runners = new int[64];
        var calls = new int[64];
        var caller = 0;
        await Watchdog.Run(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            Par.Range(0, 64).On(pool).With(Split.PerItem).ForEach(i =>
            {
                Interlocked.Increment(ref calls[i]);
                runners[i] = Environment.CurrentManagedThreadId;
                Thread.SpinWait(20_000);
            });
        });
        Assert.All(calls, c => Assert.Equal(1, c));
        Assert.Equal(caller, runners[0]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Sum_WhenOneUnitThrows_RethrowsThatExceptionUnwrapped()
    {
        using var pool = Watchdog.Pool(3);
        Exception? error = null;
        await Watchdog.Run(() => error = Record.Exception(() =>
            Par.Range(0, Large).On(pool).Select(i => i == 700_000 ? throw new FormatException("bad") : (long)i).Sum()));
        Assert.Equal("bad", Assert.IsType<FormatException>(error).Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task ForEach_CancelledWhileRunning_StopsBetweenChunksAndThrowsOperationCanceled()
    {
        using var pool = Watchdog.Pool(3);
        using var cts = new CancellationTokenSource();
        var visited = 0;
        Exception? error = null;
        await Watchdog.Run(() => error = Record.Exception(() => Par.Range(0, 10 * Large).On(pool).WithCancellation(cts.Token)
            .ForEach(_ =>
            {
                if (Interlocked.Increment(ref visited) == 1)
                {
                    cts.Cancel();
                }
            })));
        Assert.IsType<OperationCanceledException>(error);

        // Each of the (at most four) threads finishes the chunk it is in, then stops.
        Assert.InRange(visited, 1, 4 * QueryDriver.StoppableSlice);
    }

    [Fact(Timeout = 30_000)]
    public async Task Queries_WithACancelledToken_ThrowBeforeRunning()
    {
        using var pool = Watchdog.Pool(2);
        var token = new CancellationToken(canceled: true);
        var visited = 0;
        await Watchdog.Run(() =>
        {
            var q = Par.Range(0, Large).On(pool).WithCancellation(token).Select(i => Interlocked.Increment(ref visited));
            Assert.Throws<OperationCanceledException>(() => q.Sum());
            Assert.Throws<OperationCanceledException>(() => q.FirstIndex(x => x < 0));
            Assert.Throws<OperationCanceledException>(() => Par.Over(new long[Large]).WithCancellation(token).Sum());
        });
        Assert.Equal(0, visited);
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        // The block fixes floating-point sums' bits: changing it changes results, so it must be a deliberate act.
        Assert.Equal(4_096, QueryDriver.Block);
        Assert.Equal(4_096, QueryDriver.StoppableSlice);
        Assert.Equal(1_024, QueryDriver.Probe);
        Assert.Equal(TimeSpan.FromMicroseconds(25), QueryDriver.ForkPays);
        Assert.Equal(2_048, QueryDriver.InlineBelow);
        Assert.Equal(32_768, QueryDriver.SimdInlineBelow);
        Assert.Equal(8_192, QueryDriver.FirstWavePerThread);
        Assert.Equal(Split.ByThreads, Par.Over(new int[1]).Split);
    }

    [Fact]
    public void BadArguments_AreRejectedNamingTheValue()
    {
        var q = Par.Over(new[] { 1, 2, 3 });
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => Par.Over((int[])null!)).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => Par.Over((List<int>)null!)).ParamName);
        Assert.Equal("second", Assert.Throws<ArgumentNullException>(() => Par.Zip(new int[1], (int[])null!)).ParamName);
        Assert.Equal("selector", Assert.Throws<ArgumentNullException>(() => q.Select((Func<int, int>)null!)).ParamName);
        Assert.Equal("predicate", Assert.Throws<ArgumentNullException>(() => q.Where(null!)).ParamName);
        Assert.Equal("predicate", Assert.Throws<ArgumentNullException>(() => q.FirstIndex(null!)).ParamName);
        Assert.Equal("predicate", Assert.Throws<ArgumentNullException>(() => q.Any(null!)).ParamName);
        Assert.Equal("action", Assert.Throws<ArgumentNullException>(() => q.ForEach(null!)).ParamName);
        Assert.Equal("fold", Assert.Throws<ArgumentNullException>(() => q.Aggregate(0, null!, (a, b) => a + b)).ParamName);
        Assert.Equal("combine", Assert.Throws<ArgumentNullException>(() => q.Aggregate(0, (a, x) => a + x, null!)).ParamName);
        Assert.Equal("keySelector", Assert.Throws<ArgumentNullException>(() => q.MinBy<int>(null!)).ParamName);
        Assert.Equal("pool", Assert.Throws<ArgumentNullException>(() => q.On(null!)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => q.With(Split.ChunkSize(0))).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => q.With(Split.Chunks(0))).ParamName);
        Assert.Equal("to", Assert.Throws<ArgumentOutOfRangeException>(() => Par.Range(5, 4)).ParamName);
        Assert.Equal("to", Assert.Throws<ArgumentOutOfRangeException>(() => Par.Range(int.MinValue, int.MaxValue)).ParamName);
        Assert.Equal("query", Assert.Throws<ArgumentNullException>(() => ((ParQuery<long>)null!).Sum()).ParamName);
    }

    [Fact(Timeout = 30_000)]
    public async Task IntegerSums_AreExact_AndThrowOnlyWhenTheTotalDoesNotFit()
    {
        var fits = new long[100_000];
        fits[0] = long.MaxValue;
        fits[1] = 1;
        fits[^1] = -1;
        var overflows = Enumerable.Repeat(long.MaxValue / 4, 100_000).ToArray();
        var ints = Enumerable.Repeat(int.MaxValue, 50_000).ToArray();
        await Watchdog.Run(() =>
        {
            Assert.Equal(long.MaxValue, Par.Over(fits).Sum());
            Assert.Equal(long.MaxValue, Par.Over(fits).Select(x => x).Sum());
            Assert.Throws<OverflowException>(() => Par.Over(overflows).Sum());
            Assert.Throws<OverflowException>(() => Par.Over(overflows).Where(x => x > 0).Sum());
            Assert.Throws<OverflowException>(() => Par.Over(ints).Sum());
            Assert.Equal(int.MaxValue, Par.Over(ints).Average());
            Assert.Equal(int.MaxValue, Par.Over(ints).Max());
        });
    }

    [Fact(Timeout = 60_000)]
    public async Task LongSumsThroughAPipeline_StayExact_WhenRunningSumsWouldWrapBothWays()
    {
        // Runs of huge positive then huge negative values: a running long sum of any unit would pass 2^63 up and down.
        var random = new Random(17);
        var data = Enumerable.Range(0, 30_000).Select(i => i / 50 % 2 == 0 ? long.MaxValue - random.Next(1_000) : long.MinValue + random.Next(1_000)).ToArray();
        var exact = data.Aggregate(Int128.Zero, (acc, x) => acc + x);
        var positives = data.Where(x => x > 0).ToArray();
        var exactPositives = positives.Aggregate(Int128.Zero, (acc, x) => acc + x);
        Assert.InRange(exact, long.MinValue, long.MaxValue); // the total fits; only partial sums wrap
        using var pool = Watchdog.Pool(3);
        await Watchdog.Run(() =>
        {
            foreach (var split in QueryInputs.Splits)
            {
                var query = Par.Over(data).On(pool).With(split);
                Assert.Equal((long)exact, query.Select(x => x).Sum());
                Assert.Equal((double)exact / data.Length, query.Select(x => x).Average());
                Assert.Equal((double)exact / data.Length, query.Average());
                Assert.Equal((double)exactPositives / positives.Length, query.Where(x => x > 0).Average());
                Assert.Throws<OverflowException>(() => query.Where(x => x > 0).Sum());
            }
        });
    }

    [Fact(Timeout = 60_000)]
    public async Task ExactFolds_OverRunsLongEnoughToBeCutFiner_EqualLinq()
    {
        // Millions of elements through lambdas: the probe estimates well over a millisecond, so ByThreads cuts the
        // exact folds (integer sums, counts, integer min and max) into more pieces than threads.
        var random = new Random(5);
        var data = Enumerable.Range(0, 3_000_001).Select(_ => random.NextInt64(-1L << 40, 1L << 40)).ToArray();
        using var pool = Watchdog.Pool(3);
        await Watchdog.Run(() =>
        {
            var query = Par.Over(data).On(pool).With(Split.ByThreads);
            Assert.Equal(data.Select(x => x / 3).Sum(), query.Select(x => x / 3).Sum());
            Assert.Equal(data.Count(x => x % 5 == 0), query.Where(x => x % 5 == 0).Count());
            Assert.Equal(data.Select(x => x ^ 7).Max(), query.Select(x => x ^ 7).Max());
            Assert.Equal(data.Select(x => (int)(x >> 10)).Min(), query.Select(x => (int)(x >> 10)).Min());
            Assert.Equal(data.Where(x => x > 0).Average(), query.Where(x => x > 0).Average());
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task MinAndMax_FollowLinqOnNaN()
    {
        var data = Enumerable.Range(0, 50_000).Select(i => (double)i).ToArray();
        data[40_000] = double.NaN;
        var allNaN = Enumerable.Repeat(double.NaN, 40_000).ToArray();
        await Watchdog.Run(() =>
        {
            Assert.True(double.IsNaN(Par.Over(data).Min()));
            Assert.Equal(49_999, Par.Over(data).Max());
            Assert.True(double.IsNaN(Par.Over(data).Select(x => x).Min()));
            Assert.Equal(49_999, Par.Over(data).Select(x => x).Max());
            Assert.True(double.IsNaN(Par.Over(allNaN).Max()));
        });
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
