using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Akka.Event;

namespace Actorpool.Actors.Tests.Supervision;

public sealed class FailureLoggingSpecs() : PoolSpec("akka.loglevel = DEBUG")
{
    private static PoolOptions<int> Options(string name, PanicPolicy panic) => new() { Name = name, Workers = 1, Init = i => i, Panic = panic };

    [Fact(Timeout = 30_000)]
    public async Task AFailedJobTheWorkerSurvives_IsLoggedAtDebugByDefault_AndNeverAsAnError()
    {
        var errors = SubscribeTo<Error>();
        var pool = Sys.SpawnPool(Options("resume-debug", PanicPolicy.Resume));

        Task<int> failing = null!;
        EventFilter.Debug(contains: "Pool resume-debug: a job failed on worker-0 and its caller got the exception: InvalidOperationException: boom").ExpectOne(() =>
        {
            failing = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("boom"));
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing).WaitAsync(Watchdog);
        await errors.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task FailureLogLevel_ChangesTheLevelOfAFailedJobsLine()
    {
        var pool = Sys.SpawnPool(Options("resume-info", PanicPolicy.Resume) with { FailureLogLevel = LogLevel.InfoLevel });

        Task<int> failing = null!;
        EventFilter.Info(contains: "a job failed on worker-0 and its caller got the exception: InvalidOperationException: boom").ExpectOne(() =>
        {
            failing = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("boom"));
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing).WaitAsync(Watchdog);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task AWorkerRestart_IsOneWarningLineWithoutTheStack()
    {
        var errors = SubscribeTo<Error>();
        var warnings = SubscribeTo<Warning>();
        var pool = Sys.SpawnPool(Options("respawn-warning", PanicPolicy.Respawn()));

        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(int (_) => throw new InvalidOperationException("boom"))).WaitAsync(Watchdog);

        var warning = await warnings.FishForMessageAsync<Warning>(w => w.Message.ToString()!.Contains("respawn-warning", StringComparison.Ordinal), Watchdog);
        Assert.Equal("Pool respawn-warning restarts worker-0 after InvalidOperationException: boom", warning.Message.ToString());
        Assert.Null(warning.Cause);
        await errors.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task APoolKilledByItsPolicy_IsLoggedAtErrorWithTheCause_Once()
    {
        var pool = Sys.SpawnPool(Options("killed-error", PanicPolicy.Kill));

        Task<int> failing = null!;
        EventFilter.Error(contains: "Pool killed-error killed by its panic policy").ExpectOne(() =>
        {
            failing = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("boom"));
        });

        await Assert.ThrowsAnyAsync<Exception>(() => failing).WaitAsync(Watchdog);
        await pool.Completion.WaitAsync(Watchdog).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public void AnUndefinedFailureLogLevel_IsRejectedNamingIt()
    {
        var options = Options("bad-level", PanicPolicy.Resume) with { FailureLogLevel = (LogLevel)42 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(nameof(PoolOptions<int>.FailureLogLevel), error.ParamName);
        Assert.Contains("was 42", error.Message, StringComparison.Ordinal);
    }

    private Akka.TestKit.TestProbe SubscribeTo<TEvent>()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(TEvent));
        return probe;
    }
}
