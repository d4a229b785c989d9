using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Pools;

public sealed class OptionsSpecs : PoolSpec
{
    private static readonly PoolOptions<int> Valid = new() { Name = "valid", Init = i => i };

    public static TheoryData<string, string> BadOptions => new()
    {
        { "workers", "Workers must be at least 1, was 0" },
        { "backlog", "Backlog must be at least 1, was 0" },
        { "prefetch", "Prefetch must be at least 1, was -1" },
        { "name", "Name must be a valid actor name, was 'no/slash'" },
        { "empty-name", "Name must be a valid actor name, was ''" },
        { "interval", "ScaleInterval must be positive, was 00:00:00" },
        { "cache", "ScaleCachePeriod must not be negative, was -00:00:01" },
        { "dispatcher", "Dispatcher must be null or a dispatcher id, was ''" },
        { "supervisor-dispatcher", "SupervisorDispatcher must be null or a dispatcher id, was ''" },
        { "max-workers", "MaxWorkers must be at least 1, was 0" },
        { "workers-above-max", "Workers must be at most MaxWorkers (4), was 5" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void SpawnPool_WithABadOption_ThrowsNamingTheValue(string which, string message)
    {
        var options = which switch
        {
            "workers" => Valid with { Workers = 0 },
            "backlog" => Valid with { Backlog = 0 },
            "prefetch" => Valid with { Prefetch = -1 },
            "name" => Valid with { Name = "no/slash" },
            "empty-name" => Valid with { Name = "" },
            "interval" => Valid with { ScaleInterval = TimeSpan.Zero },
            "cache" => Valid with { ScaleCachePeriod = TimeSpan.FromSeconds(-1) },
            "max-workers" => Valid with { MaxWorkers = 0 },
            "workers-above-max" => Valid with { Workers = 5, MaxWorkers = 4 },
            "supervisor-dispatcher" => Valid with { SupervisorDispatcher = "" },
            _ => Valid with { Dispatcher = "" },
        };

        var error = Assert.ThrowsAny<ArgumentException>(() => Sys.SpawnPool(options));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        Assert.Equal(Environment.ProcessorCount, Valid.Workers);
        Assert.Equal(1024, Valid.Backlog);
        Assert.Equal(PoolDefaults.Prefetch, Valid.Prefetch);
        Assert.Equal(64, PoolDefaults.Prefetch);
        Assert.Equal(256, Valid.MaxWorkers);
        Assert.Equal(TimeSpan.FromMilliseconds(100), Valid.ScaleCachePeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), Valid.ScaleInterval);
        Assert.Equal(PanicKind.Respawn, Valid.Panic.Kind);
        Assert.Same(TimeProvider.System, Valid.TimeProvider);
        Assert.Equal(Akka.Event.LogLevel.DebugLevel, Valid.FailureLogLevel);
        Assert.Null(Valid.Dispatcher);
        Assert.Null(Valid.SupervisorDispatcher);
        Assert.Null(Valid.Scale);
    }

    [Fact(Timeout = 30_000)]
    public async Task DrainAsync_WithANonPositiveDeadline_ThrowsNamingIt()
    {
        var pool = Sys.SpawnPool(Valid with { Workers = 1 });

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pool.DrainAsync(TimeSpan.Zero)).WaitAsync(Watchdog);

        Assert.Contains("deadline must be positive, was 00:00:00", error.Message, StringComparison.Ordinal);
        await AssertBalancedAsync(pool);
    }
}
