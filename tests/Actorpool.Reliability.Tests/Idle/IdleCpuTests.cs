using Actorpool.Actors.Pools;
using Akka.Actor;
using Xunit.Abstractions;

namespace Actorpool.Reliability.Tests.Idle;

/// <summary>
/// A started pool with no work must sleep, not spin or poll hot: after its spin window the whole process uses
/// under 2% of one core. The limit is a behaviour check with a wide margin either way: one worker spinning costs
/// ~100% of a core, a worker polling every millisecond costs a few percent, while a parked worker costs nothing;
/// and the figure is the lowest of three 1 s windows, so a burst of unrelated work in the process cannot fail it.
/// </summary>
public sealed class IdleCpuTests(ITestOutputHelper output)
{
    private const double Limit = 0.02;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact(Timeout = 30_000)]
    public async Task WorkStealingPool_IdleAfterItsSpinWindow_UsesUnderTwoPercentOfACore()
    {
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 4, SpinTime = TimeSpan.FromMilliseconds(1) });
        await WarmUpAndWaitUntilAllSleepAsync(pool);

        var fraction = await CpuMeter.LowestCoreFractionAsync(Window, 3);

        output.WriteLine($"{fraction:P2} of a core");

        Assert.True(fraction < Limit, $"An idle pool used {fraction:P2} of a core (limit {Limit:P0}).");
        Assert.Equal(pool.ThreadCount, pool.SleepingWorkers);
    }

    [Fact(Timeout = 30_000)]
    public async Task WorkStealingPool_GatedToZeroWorkers_UsesUnderTwoPercentOfACore()
    {
        // Gated workers poll the scale function with a timeout that grows to 64 ms: cheap, but not free.
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 4, Scale = static () => 0 });
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // let the poll period reach its ceiling (measuring, not a condition)

        var fraction = await CpuMeter.LowestCoreFractionAsync(Window, 3);

        output.WriteLine($"{fraction:P2} of a core");

        Assert.True(fraction < Limit, $"A pool gated to zero used {fraction:P2} of a core (limit {Limit:P0}).");
    }

    [Fact(Timeout = 30_000)]
    public async Task ActorPool_IdleAfterAJob_UsesUnderTwoPercentOfACore()
    {
        using var system = ActorSystem.Create("idle", "akka.loglevel = WARNING");
        var pool = system.SpawnPool(new PoolOptions<int> { Name = "idle", Workers = 4, Init = static i => i });
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(i + 1, await pool.RunAsync(state => i + 1).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        var fraction = await CpuMeter.LowestCoreFractionAsync(Window, 3);

        output.WriteLine($"{fraction:P2} of a core");

        Assert.True(fraction < Limit, $"An idle actor pool used {fraction:P2} of a core (limit {Limit:P0}).");
        await pool.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = 30_000)]
    public async Task Meter_OnAWorkerStillInAVeryLongSpinWindow_ReportsOverTwoPercent()
    {
        // The control: proves the meter and the limit can fail, using a pool told to spin for a minute.
        using var pool = new WorkStealingPool(new WorkStealingPoolOptions { Threads = 1, SpinTime = TimeSpan.FromMinutes(1) });
        Assert.Equal(1, pool.Spawn(() => 1).Join());

        var fraction = await CpuMeter.LowestCoreFractionAsync(Window, 1);

        output.WriteLine($"{fraction:P2} of a core");

        Assert.True(fraction > Limit, $"A spinning worker measured only {fraction:P2} of a core.");
        Assert.Equal(0, pool.SleepingWorkers);
    }

    private static async Task WarmUpAndWaitUntilAllSleepAsync(WorkStealingPool pool)
    {
        var handles = Enumerable.Range(0, 64).Select(i => pool.Spawn(() => i * 2)).ToList();
        for (var i = 0; i < handles.Count; i++)
        {
            Assert.Equal(i * 2, handles[i].Join());
        }

        // Every worker parks right after its 1 ms spin window; the wait is bounded and checks a real state.
        using var watchdog = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (pool.SleepingWorkers < pool.ThreadCount)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), watchdog.Token);
        }
    }
}
