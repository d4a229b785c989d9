using Actorpool.Dynamic;
using Microsoft.Extensions.Time.Testing;
using static Actorpool.Core.Tests.Dynamic.DynamicTestKit;

namespace Actorpool.Core.Tests.Dynamic;

public sealed class LifecycleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact(Timeout = 30_000)]
    public async Task RunForeground_RunsWorkerZeroOnTheCallingThread_AndReturnsAfterEveryWorkerEnded()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(3) };
        system.ScaleOverride = () => system.Inits.Count == 3 && system.Inits.All(d => d.Calls >= 5)
            ? Scale.Shutdown
            : Scale.Active(3);
        var caller = 0;

        await Task.Run(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            DynamicPool.RunForeground(system, Options(_time));
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(caller, system.Inits.Single(d => d.Index == 0).ThreadId);
        Assert.Equal([0, 1, 2], Indexes(system.Inits).Order());
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task RequestShutdown_EndsTheRun_ClosingEveryWorkersDataOnce()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(3) };
        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => system.Inits.Count == 3, "three workers run");
        Assert.False(pool.IsCompleted);

        pool.RequestShutdown();
        await pool;

        Assert.True(pool.Join(TimeSpan.Zero));
        Assert.Equal(0, pool.AliveCount);
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WithTimeout_ReturnsFalseWhileTheRunIsGoing()
    {
        var system = new RecordingSystem();
        var pool = DynamicPool.StartBackground(system, Options(_time));

        Assert.False(pool.Join(TimeSpan.FromMilliseconds(20)));

        pool.RequestShutdown();
        await Task.Run(pool.Join).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(pool.IsCompleted);
    }

    [Fact(Timeout = 30_000)]
    public async Task Restart_ClosesAndRebuildsTheData_OnTheSameThread()
    {
        var system = new RecordingSystem { OnWork = d => d.Calls == 3 ? Decision.Restart : Decision.Again };
        system.ScaleOverride = () => system.Inits.Count >= 4 ? Scale.Shutdown : Scale.Active(1);

        var pool = DynamicPool.StartBackground(system, Options(_time));
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4, system.Inits.Count);
        Assert.Equal([1, 2, 3, 4], system.Closes.Select(d => d.Serial));
        Assert.Single(system.Inits.Select(d => d.ThreadId).Distinct());
        Assert.All(system.Closes.Take(3), d => Assert.Equal(3, d.Calls));
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task SwapSystem_ClosesOldDataWithTheOldSystem_AndBuildsNewDataWithTheNewOne()
    {
        var oldSystem = new RecordingSystem("old") { CurrentScale = Scale.Active(3) };
        var newSystem = new RecordingSystem("new") { CurrentScale = Scale.Active(2) };
        var pool = DynamicPool.StartBackground(oldSystem, Options(_time));
        WaitUntil(() => oldSystem.Inits.Count == 3, "three old workers run");

        pool.SwapSystem(newSystem);
        WaitUntil(() => oldSystem.Closes.Count == 3 && newSystem.Inits.Count == 2 && pool.AliveCount == 2, "swapped");
        Assert.Equal([0, 1], Indexes(newSystem.Inits).Order());
        Assert.All(newSystem.Inits, d => Assert.Equal("new", d.System));
        AssertEachClosedOnce(oldSystem.Inits, oldSystem.Closes);

        newSystem.CurrentScale = Scale.Shutdown;
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        AssertEachClosedOnce(newSystem.Inits, newSystem.Closes);
        Assert.Equal(3, oldSystem.Closes.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task SwapSystem_WakesIdleWorkers_WhichCloseTheirOldData()
    {
        var oldSystem = new RecordingSystem("old") { CurrentScale = Scale.Active(2) };
        var newSystem = new RecordingSystem("new") { CurrentScale = Scale.NoTerm(0) };
        var pool = DynamicPool.StartBackground(oldSystem, Options(_time));
        WaitUntil(() => oldSystem.Inits.Count == 2, "two old workers run");
        oldSystem.CurrentScale = Scale.NoTerm(0);
        WaitUntil(() => pool.ActiveCount == 0, "both idle");

        pool.SwapSystem(newSystem);
        WaitUntil(() => oldSystem.Closes.Count == 2, "idle workers closed old data without a tick");
        Assert.Empty(newSystem.Inits);

        pool.RequestShutdown();
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        AssertEachClosedOnce(oldSystem.Inits, oldSystem.Closes);
        Assert.Empty(newSystem.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_FromOneOfThePoolsOwnWorkers_ThrowsInsteadOfHanging()
    {
        var system = new RecordingSystem();
        DynamicPoolHandle<WorkerData>? pool = null;
        Exception? seen = null;
        system.OnWork = d =>
        {
            if (d.Calls == 1)
            {
                seen = Record.Exception(() => Volatile.Read(ref pool)?.Join());
            }

            return Decision.Again;
        };
        system.ScaleOverride = () => system.Inits.TryPeek(out var d) && d.Calls >= 2 ? Scale.Shutdown : Scale.Active(1);

        using (var started = new ManualResetEventSlim())
        {
            system.OnInit = _ => started.Wait(TimeSpan.FromSeconds(10));
            pool = DynamicPool.StartBackground(system, Options(_time));
            started.Set();
            await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.IsType<InvalidOperationException>(seen);
    }

    [Fact]
    public void Close_ByDefault_DisposesDisposableData()
    {
        IDynamicWork<MemoryStream> work = new StreamWork();
        var stream = work.Init(0);

        work.Close(stream);

        Assert.False(stream.CanRead);
    }

    private sealed class StreamWork : IDynamicWork<MemoryStream>
    {
        public MemoryStream Init(int index) => new();

        public Decision Work(ref MemoryStream data) => Decision.Again;
    }
}
