using Actorpool.Actors.Messaging;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Messaging;

public class ThreadUpDownPoolLifecycleTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30_000)]
    public async Task Pause_HoldsDownMessagesUntilContinue_InArrivalOrder()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>();
        pool.Execute(w => w.Run(message => w.Send(message)));

        pool.Pause();
        pool.SendTo(0, "a");
        pool.SendTo(0, "b");
        pool.Continue();
        pool.SendTo(0, "c");

        var values = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            values.Add((await pool.RecvAsync().AsTask().WaitAsync(Watchdog)).Value);
        }

        Assert.Equal(["a", "b", "c"], values);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_EndsAPausedWorker_WithoutHandlingWhatItHeld()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>();
        pool.Execute(w => w.Run(message => w.Send(message)));

        pool.Pause();
        pool.Broadcast("held");
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Empty(report.Messages);
    }

    [Fact(Timeout = 30_000)]
    public async Task StopAndJoin_ReportsEveryWorkerFailure_NotOnlyTheFirst()
    {
        var options = UpDownOptions.Default.WithPanic(PanicPolicy.Resume);
        using var pool = UpDownPool.CreateThreaded<string, string>(options);
        for (var i = 0; i < 2; i++)
        {
            pool.Execute(w => w.Run(message => throw new InvalidOperationException($"{message} on {w.Index}")));
        }

        pool.Broadcast("boom");
        pool.Broadcast("bang");
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal(
            ["bang on 0", "bang on 1", "boom on 0", "boom on 1"],
            report.Failures.Select(f => f.Message).Order(StringComparer.Ordinal));
        Assert.Throws<UpDownStopException<string>>(report.ThrowIfFailed);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_WithFailures_ThrowsThemAll_CarryingTheMessages()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>(UpDownOptions.Default.WithPanic(PanicPolicy.Resume));
        pool.Execute(w => w.Run(message =>
        {
            w.Send(message);
            throw new InvalidOperationException(message);
        }));
        pool.SendTo(0, "x");
        pool.SendTo(0, "y");

        var error = await Task.Run(() => Assert.Throws<UpDownStopException<string>>(() => pool.Stop())).WaitAsync(Watchdog);

        Assert.Equal(["x", "y"], error.Messages.Select(m => m.Value));
        Assert.Equal(["x", "y"], error.InnerExceptions.Select(e => e.Message));
    }

    [Fact(Timeout = 30_000)]
    public async Task Kill_StopsEveryWorker_AtTheFirstFailure()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>(UpDownOptions.Default.WithPanic(PanicPolicy.Kill));
        pool.Execute(w => w.Run(_ => throw new InvalidOperationException("fatal")));
        var survivorEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.Execute(w =>
        {
            w.Run(_ => { });
            survivorEnded.SetResult();
        });

        pool.SendTo(0, "go");
        await survivorEnded.Task.WaitAsync(Watchdog);
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal("fatal", Assert.Single(report.Failures).Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Respawn_RunsTheClosureAgain_UntilTheBudgetIsSpent()
    {
        var budget = new RestartBudget(2, TimeSpan.FromMinutes(1));
        using var pool = UpDownPool.CreateThreaded<string, int>(UpDownOptions.Default.WithPanic(PanicPolicy.Respawn(budget)));
        var runs = 0;
        pool.Execute(w =>
        {
            w.Send(Interlocked.Increment(ref runs));
            throw new InvalidOperationException("crash");
        });

        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal([1, 2, 3], report.Messages.Select(m => m.Value));
        Assert.Equal(3, report.Failures.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task AfterAStop_ThePoolTakesNewWorkers_NumberedFromZero()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>();
        pool.Execute(w => w.Run(m => w.Send(m)));
        pool.Execute(w => w.Run(m => w.Send(m)));
        await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        var index = pool.Execute(w => w.Run(m => w.Send(m + w.Index)));
        pool.SendTo(0, "again");
        var message = await pool.RecvAsync().AsTask().WaitAsync(Watchdog);

        Assert.Equal(0, index);
        Assert.Equal(1, pool.Workers);
        Assert.Equal("again0", message.Value);
        Assert.Empty((await pool.StopAndJoinAsync().WaitAsync(Watchdog)).Messages);
    }

    [Fact]
    public void BadIndexAndEmptyPool_AreRejectedWithClearErrors()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>();

        Assert.Throws<InvalidOperationException>(() => pool.SendToNext("x"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pool.SendTo(0, "x"));
        Assert.Contains("was 0", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_WhileAStopHangs_ReturnsWithoutThrowing_SoTheCallersOwnFailureShows()
    {
        var pool = UpDownPool.CreateThreaded<int, int>();
        using var release = new ManualResetEventSlim();
        pool.Execute(_ => release.Wait(TimeSpan.FromSeconds(25))); // a worker that ignores Stop until released
        var stopping = Task.Run(pool.StopAndJoin);
        while (!stopping.IsCompleted && Record.Exception(() => pool.Execute(_ => { })) is not InvalidOperationException)
        {
            await Task.Delay(5); // until the stop has begun (adding a worker is refused while it runs)
        }

        // What a `using` does after a watchdog gave up on the stop: before, this threw "already stopping".
        var disposing = Task.Run(pool.Dispose);
        await disposing.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(stopping.IsCompleted);
        release.Set();
        var report = await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(report.Failures);
    }
}
