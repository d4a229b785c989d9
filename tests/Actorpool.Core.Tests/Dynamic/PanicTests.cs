using Actorpool.Dynamic;
using Microsoft.Extensions.Time.Testing;
using static Actorpool.Core.Tests.Dynamic.DynamicTestKit;

namespace Actorpool.Core.Tests.Dynamic;

public sealed class PanicTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact(Timeout = 30_000)]
    public async Task WorkThrows_EveryWorkerStops_AndJoinThrowsPoolPanicException_AfterClosingAllData()
    {
        var boom = new InvalidOperationException("boom");
        var system = new RecordingSystem { CurrentScale = Scale.Active(4) };
        system.OnWork = d => d.Index == 2 && d.Calls >= 3 && system.Inits.Count == 4 ? throw boom : Decision.Again;

        var pool = DynamicPool.StartBackground(system, Options(_time));
        var ex = await Assert.ThrowsAsync<PoolPanicException>(() => Task.Run(pool.Join).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Same(boom, Assert.Single(ex.InnerExceptions));
        Assert.Equal(0, pool.AliveCount);
        Assert.Equal(4, system.Inits.Count);
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task TwoWorkersThrow_TheCompletionCarriesBothExceptions()
    {
        using var bothThere = new Barrier(2);
        var system = new RecordingSystem { CurrentScale = Scale.Active(4) };
        system.OnWork = d =>
        {
            if (d.Index is 1 or 3 && d.Calls == 1)
            {
                bothThere.SignalAndWait(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"worker {d.Index}");
            }

            return Decision.Again;
        };

        var pool = DynamicPool.StartBackground(system, Options(_time));
        var ex = await Assert.ThrowsAsync<PoolPanicException>(() => pool.Completion.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(["worker 1", "worker 3"], ex.InnerExceptions.Select(e => e.Message).Order());
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task CloseThrows_IsReported_AndTheOtherWorkersStillCloseTheirData()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(3) };
        system.OnClose = d => throw new InvalidOperationException($"close {d.Index}");
        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => system.Inits.Count == 3, "three workers run");

        pool.RequestShutdown();
        var ex = await Assert.ThrowsAsync<PoolPanicException>(async () => await pool);

        Assert.Equal(["close 0", "close 1", "close 2"], ex.InnerExceptions.Select(e => e.Message).Order());
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task InitThrows_IsReported_AndOnlyBuiltDataIsClosed()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(3) };
        system.OnInit = i =>
        {
            if (i == 2)
            {
                throw new InvalidOperationException("init 2");
            }
        };

        var pool = DynamicPool.StartBackground(system, Options(_time));
        var ex = await Assert.ThrowsAsync<PoolPanicException>(() => pool.Completion.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("init 2", Assert.Single(ex.InnerExceptions).Message);
        Assert.DoesNotContain(2, Indexes(system.Inits));
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScaleThrows_IsReportedFromRunForeground()
    {
        var system = new RecordingSystem();
        system.ScaleOverride = () => system.Inits.TryPeek(out var d) && d.Calls == 2
            ? throw new InvalidOperationException("scale")
            : Scale.Active(1);

        var ex = await Assert.ThrowsAsync<PoolPanicException>(
            () => Task.Run(() => DynamicPool.RunForeground(system, Options(_time))).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("scale", Assert.Single(ex.InnerExceptions).Message);
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task APanic_StopsAWorkerThatKeepsAnsweringIncomplete()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(2) };
        system.OnWork = d => d.Index switch
        {
            0 => Decision.Incomplete,
            _ when d.Calls == 5 => throw new InvalidOperationException("worker 1"),
            _ => Decision.Again,
        };

        var pool = DynamicPool.StartBackground(system, Options(_time));
        var ex = await Assert.ThrowsAsync<PoolPanicException>(() => pool.Completion.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("worker 1", Assert.Single(ex.InnerExceptions).Message);
        AssertEachClosedOnce(system.Inits, system.Closes);
    }
}
