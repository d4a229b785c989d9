using Actorpool.Actors.Messaging;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Messaging;

public class ActorUpDownPanicSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private ActorUpDownPool<string, int> CounterPool(PanicPolicy panic, List<Counter> states, int workers = 1)
    {
        var pool = Sys.SpawnUpDownPool<string, int>(UpDownOptions.Default.WithPanic(panic));
        for (var i = 0; i < workers; i++)
        {
            pool.AddWorker(
                _ =>
                {
                    var counter = new Counter();
                    lock (states)
                    {
                        states.Add(counter);
                    }

                    return counter;
                },
                (counter, message, up) => message == "boom"
                    ? throw new InvalidOperationException($"boom on {up.Index}")
                    : up.SendUpAsync(++counter.Value));
        }

        return pool;
    }

    private static async Task<List<int>> Receive(UpDownPool<string, int> pool, int count)
    {
        var values = new List<int>();
        for (var i = 0; i < count; i++)
        {
            values.Add((await pool.RecvAsync().AsTask().WaitAsync(Watchdog)).Value);
        }

        return values;
    }

    [Fact(Timeout = 30_000)]
    public async Task Respawn_RebuildsTheWorkerWithFreshState_AndDisposesTheOld()
    {
        var states = new List<Counter>();
        await using var pool = CounterPool(PanicPolicy.Respawn(), states);
        foreach (var message in new[] { "inc", "inc", "boom", "inc" })
        {
            pool.SendTo(0, message);
        }

        var values = await Receive(pool, 3);
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal([1, 2, 1], values);
        Assert.Equal(2, states.Count);
        Assert.All(states, s => Assert.True(s.Disposed));
        Assert.Equal("boom on 0", Assert.Single(report.Failures).Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_KeepsTheWorkersState()
    {
        var states = new List<Counter>();
        await using var pool = CounterPool(PanicPolicy.Resume, states);
        foreach (var message in new[] { "inc", "boom", "inc", "boom", "inc" })
        {
            pool.SendTo(0, message);
        }

        var values = await Receive(pool, 3);
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal([1, 2, 3], values);
        Assert.Single(states);
        Assert.Equal(2, report.Failures.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task StopAndJoin_ReportsTheFailuresOfEveryWorker()
    {
        var states = new List<Counter>();
        await using var pool = CounterPool(PanicPolicy.Respawn(), states, workers: 3);
        pool.Broadcast("boom");
        pool.Broadcast("inc");
        await Receive(pool, 3);

        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal(["boom on 0", "boom on 1", "boom on 2"], report.Failures.Select(f => f.Message).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Kill_StopsEveryWorker_AtTheFirstFailure()
    {
        var states = new List<Counter>();
        await using var pool = CounterPool(PanicPolicy.Kill, states, workers: 3);
        pool.SendTo(1, "boom");

        AwaitCondition(() => pool.Queue.Live == 0, Watchdog);
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal("boom on 1", Assert.Single(report.Failures).Message);
        Assert.All(states, s => Assert.True(s.Disposed));
    }

    [Fact(Timeout = 30_000)]
    public async Task Respawn_WhenTheBudgetIsSpent_TurnsIntoKill()
    {
        var states = new List<Counter>();
        var budget = new RestartBudget(1, TimeSpan.FromMinutes(1));
        await using var pool = CounterPool(PanicPolicy.Respawn(budget), states, workers: 2);
        pool.SendTo(0, "boom");
        pool.SendTo(0, "boom");

        AwaitCondition(() => pool.Queue.Live == 0, Watchdog);
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal(2, report.Failures.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task AfterAStop_ThePoolTakesNewWorkers_NumberedFromZero()
    {
        var states = new List<Counter>();
        await using var pool = CounterPool(PanicPolicy.Respawn(), states, workers: 2);
        await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        var index = pool.AddWorker((message, up) => up.SendUpAsync(message.Length));
        pool.SendToNext("four");
        var message = await pool.RecvAsync().AsTask().WaitAsync(Watchdog);

        Assert.Equal(0, index);
        Assert.Equal(4, message.Value);
        Assert.Equal(0, message.Worker);
    }

    internal sealed class Counter : IDisposable
    {
        public int Value { get; set; }

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
