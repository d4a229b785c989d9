using Actorpool.Actors.Messaging;
using Actorpool.Actors.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Messaging;

/// <summary>
/// Up/down pools back off between restarts as actor pools do: <see cref="RestartBudget.InitialBackoff"/> is honoured
/// (on the pool's clock), and a worker that fails before doing anything (its state cannot be built, or its closure
/// throws before taking a message) backs off even without a configured backoff, so it cannot spin a core.
/// </summary>
public sealed class UpDownBackoffSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private static PanicPolicy RespawnWithBackoff(TimeSpan backoff) =>
        PanicPolicy.Respawn(new RestartBudget(100, TimeSpan.FromMinutes(1)) { InitialBackoff = backoff });

    [Fact(Timeout = 30_000)]
    public async Task ThreadWorker_ThatThrowsBeforeTakingAMessage_BacksOff_AndStopCutsTheWaitShort()
    {
        var runs = 0;
        using var pool = UpDownPool.CreateThreaded<int, int>(UpDownOptions.Default.WithPanic(PanicPolicy.Resume));
        pool.Execute(_ =>
        {
            Interlocked.Increment(ref runs);
            throw new InvalidOperationException("cannot start");
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        var stop = Task.Run(pool.StopAndJoin);
        var report = await stop.WaitAsync(Watchdog);

        // 10 ms doubling: about 7 runs in the first second (hundreds of thousands before); a slow machine runs fewer.
        Assert.InRange(Volatile.Read(ref runs), 1, 20);
        Assert.Equal(Volatile.Read(ref runs), report.Failures.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task ThreadWorker_HonoursInitialBackoff_OnThePoolsClock_AndKeepsTheMessagesMeanwhile()
    {
        var time = new FakeTimeProvider();
        var options = UpDownOptions.Default.WithPanic(RespawnWithBackoff(TimeSpan.FromSeconds(30))).WithTimeProvider(time);
        using var pool = UpDownPool.CreateThreaded<int, int>(options);
        var runs = 0;
        pool.Execute(w =>
        {
            Interlocked.Increment(ref runs);
            w.Run(m => w.Send(m == 0 ? throw new InvalidOperationException("bad message") : m));
        });

        pool.SendTo(0, 0); // fails the first run
        pool.SendTo(0, 7); // must wait for the restart, 30 s later on the fake clock
        await AwaitAssertAsync(() => Assert.Equal(1, Volatile.Read(ref runs)), Watchdog);
        await Task.Delay(200);
        Assert.Equal(0, pool.UpCount);

        time.Advance(TimeSpan.FromSeconds(30));
        var message = await pool.RecvAsync().AsTask().WaitAsync(Watchdog);

        Assert.Equal((7, 2), (message.Value, Volatile.Read(ref runs)));
        var report = await Task.Run(pool.StopAndJoin).WaitAsync(Watchdog);
        Assert.Single(report.Failures);
    }

    [Fact(Timeout = 30_000)]
    public async Task ActorWorker_HonoursInitialBackoff_OnThePoolsClock()
    {
        var time = new FakeTimeProvider();
        var options = UpDownOptions.Default.WithPanic(RespawnWithBackoff(TimeSpan.FromSeconds(30))).WithTimeProvider(time);
        await using var pool = Sys.SpawnUpDownPool<int, int>(options);
        var inits = 0;
        pool.AddWorker(
            _ => Interlocked.Increment(ref inits),
            (_, m, up) => m == 0 ? throw new InvalidOperationException("bad message") : up.SendUpAsync(m));

        pool.SendTo(0, 0);
        pool.SendTo(0, 7);
        await AwaitAssertAsync(() => Assert.Equal(1, Volatile.Read(ref inits)), Watchdog);
        await Task.Delay(200);
        Assert.Equal((1, 0), (Volatile.Read(ref inits), pool.UpCount)); // restarted, but its state waits for the backoff

        time.Advance(TimeSpan.FromSeconds(30));
        var message = await pool.RecvAsync().AsTask().WaitAsync(Watchdog);

        Assert.Equal((7, 2), (message.Value, Volatile.Read(ref inits)));
    }

    [Fact(Timeout = 30_000)]
    public async Task ActorWorker_WhoseInitAlwaysFails_WithoutABudget_BacksOff()
    {
        var inits = 0;
        var policy = PanicPolicy.Respawn() with { Budget = null };
        await using var pool = Sys.SpawnUpDownPool<int, int>(UpDownOptions.Default.WithPanic(policy));
        pool.AddWorker<int>(
            _ =>
            {
                Interlocked.Increment(ref inits);
                throw new InvalidOperationException("no database");
            },
            (_, m, up) => up.SendUpAsync(m));

        await Task.Delay(TimeSpan.FromSeconds(1));
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.InRange(Volatile.Read(ref inits), 1, 20);
        Assert.All(report.Failures, f => Assert.Equal("no database", f.Message));
    }
}
