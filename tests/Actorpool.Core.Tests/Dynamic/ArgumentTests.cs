using Actorpool.Dynamic;

namespace Actorpool.Core.Tests.Dynamic;

public sealed class ArgumentTests
{
    private static readonly IDynamicWork<Func<Decision>> Work = DynamicSystem.FunctionWorker(_ => () => Decision.Again);

    [Fact]
    public void Options_Defaults_ArePinned()
    {
        var options = DynamicPoolOptions.Default;

        Assert.Equal(TimeSpan.FromMilliseconds(10), options.PollInterval);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Equal("actorpool-dynamic", options.ThreadNamePrefix);
        options.Validate();
    }

    [Fact]
    public void StartBackground_WithAZeroPollInterval_IsRejectedNamingTheValue()
    {
        var options = DynamicPoolOptions.Default with { PollInterval = TimeSpan.Zero };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DynamicPool.StartBackground(Work.WithThreads(1), options));

        Assert.Equal("PollInterval", ex.ParamName);
        Assert.StartsWith("PollInterval must be positive, was 00:00:00.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunForeground_WithAnEmptyThreadNamePrefix_IsRejected()
    {
        var options = DynamicPoolOptions.Default with { ThreadNamePrefix = " " };

        var ex = Assert.Throws<ArgumentException>(() => DynamicPool.RunForeground(Work.WithThreads(1), options));

        Assert.Equal("ThreadNamePrefix", ex.ParamName);
    }

    [Fact]
    public void StartBackground_WithANullSystem_IsRejected()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => DynamicPool.StartBackground<int>(null!));

        Assert.Equal("system", ex.ParamName);
    }

    [Fact]
    public void WithThreads_Negative_IsRejectedNamingTheValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Work.WithThreads(-1));

        Assert.Equal("threads", ex.ParamName);
        Assert.StartsWith("Threads must be at least 0, was -1.", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Work.WithThreads(1).SetThreads(-2));
    }

    [Fact]
    public void ShutdownAfter_NegativeDeadline_IsRejectedNamingTheValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Work.WithThreads(1).ShutdownAfter(TimeSpan.FromSeconds(-1)));

        Assert.Equal("deadline", ex.ParamName);
        Assert.StartsWith("Deadline must not be negative, was -00:00:01.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheScale_ZeroPeriod_IsRejectedNamingTheValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Work.WithThreads(1).CacheScale(TimeSpan.Zero));

        Assert.Equal("period", ex.ParamName);
        Assert.StartsWith("Period must be positive, was 00:00:00.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionWorker_NullFactory_AndFactoryReturningNull_AreRejected()
    {
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => DynamicSystem.FunctionWorker(null!)).ParamName);

        var ex = Assert.Throws<InvalidOperationException>(() => DynamicSystem.FunctionWorker(_ => null!).Init(3));
        Assert.Contains("worker 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task SwapSystem_Null_IsRejected()
    {
        var system = Work.WithThreads(1);
        var pool = DynamicPool.StartBackground(system);

        Assert.Equal("system", Assert.Throws<ArgumentNullException>(() => pool.SwapSystem(null!)).ParamName);

        pool.RequestShutdown();
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Scale_NegativeCounts_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Scale.Active(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scale.Mixed(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scale.NoTerm(-1));
    }
}
