namespace Actorpool.Core.Tests.Scheduling;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var options = new WorkStealingPoolOptions();
        Assert.Equal(Environment.ProcessorCount, options.Threads);
        Assert.Equal(TimeSpan.FromMicroseconds(50), options.SpinTime);
        Assert.Null(options.MaxSpinTime);
        Assert.Equal("actorpool-worker", options.ThreadNamePrefix);
        Assert.Null(options.ThreadFactory);
        Assert.Null(options.Scale);
        Assert.Equal(TimeSpan.FromMicroseconds(5), options.ScaleCachePeriod);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.OnUnhandledException);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Constructor_WithBadThreadCount_ThrowsNamingIt(int threads)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkStealingPool(new WorkStealingPoolOptions { Threads = threads }));
        Assert.Equal("Threads", ex.ParamName);
        Assert.Contains($"was {threads}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithNegativeSpinTime_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new WorkStealingPool(new WorkStealingPoolOptions { SpinTime = TimeSpan.FromTicks(-1) }));
        Assert.Equal("SpinTime", ex.ParamName);
    }

    [Fact]
    public void Constructor_WithMaxSpinTimeBelowSpinTime_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkStealingPool(new WorkStealingPoolOptions
        {
            SpinTime = TimeSpan.FromMicroseconds(50),
            MaxSpinTime = TimeSpan.FromMicroseconds(10),
        }));
        Assert.Equal("MaxSpinTime", ex.ParamName);
        Assert.Contains("was 00:00:00.0000100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithEmptyPrefixOrNullClock_ThrowsNamingIt()
    {
        Assert.Equal("ThreadNamePrefix", Assert.Throws<ArgumentException>(() =>
            new WorkStealingPool(new WorkStealingPoolOptions { ThreadNamePrefix = " " })).ParamName);
        Assert.Equal("TimeProvider", Assert.Throws<ArgumentNullException>(() =>
            new WorkStealingPool(new WorkStealingPoolOptions { TimeProvider = null! })).ParamName);
        Assert.Equal("ScaleCachePeriod", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new WorkStealingPool(new WorkStealingPoolOptions { ScaleCachePeriod = TimeSpan.FromSeconds(-1) })).ParamName);
    }

    [Fact(Timeout = 30_000)]
    public async Task ThreadFactoryAndPrefix_AreUsedForEveryWorker()
    {
        var created = 0;
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions
        {
            Threads = 3,
            ThreadNamePrefix = "custom",
            ThreadFactory = start =>
            {
                Interlocked.Increment(ref created);
                return new Thread(start);
            },
        });
        Assert.Equal(3, pool.ThreadCount);
        Assert.Equal(3, created);
        var name = await pool.Spawn(() => Thread.CurrentThread.Name).AsTask().WaitAsync(Watchdog.Limit);
        Assert.Matches("^custom-[0-2]$", name);
    }

    [Fact(Timeout = 30_000)]
    public async Task Constructor_WhenThreadFactoryThrows_StopsTheThreadsAlreadyStarted()
    {
        var started = new List<Thread>();
        var ex = Assert.Throws<InvalidOperationException>(() => new WorkStealingPool(new WorkStealingPoolOptions
        {
            Threads = 3,
            ThreadFactory = start =>
            {
                if (started.Count == 2)
                {
                    throw new InvalidOperationException("no more threads");
                }

                var t = new Thread(start);
                started.Add(t);
                return t;
            },
        }));
        Assert.Equal("no more threads", ex.Message);
        await Watchdog.Run(() => Assert.All(started, t => Assert.True(t.Join(Watchdog.Limit))));
    }
}
