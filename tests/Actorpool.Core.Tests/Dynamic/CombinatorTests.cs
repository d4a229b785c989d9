using System.Collections.Concurrent;
using Actorpool.Dynamic;
using Microsoft.Extensions.Time.Testing;
using static Actorpool.Core.Tests.Dynamic.DynamicTestKit;

namespace Actorpool.Core.Tests.Dynamic;

public sealed class CombinatorTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact(Timeout = 30_000)]
    public async Task FunctionWorker_WithThreads_BuildsOneClosurePerWorker_AndSetThreadsRescalesAtRuntime()
    {
        var built = new ConcurrentQueue<int>();
        var calls = new int[4];
        var system = DynamicSystem.FunctionWorker(index =>
        {
            built.Enqueue(index);
            return () =>
            {
                Interlocked.Increment(ref calls[index]);
                Thread.Yield();
                return Decision.Again;
            };
        }).WithThreads(2);
        Assert.Equal(Scale.Active(2), system.Current);

        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => Volatile.Read(ref calls[0]) > 0 && Volatile.Read(ref calls[1]) > 0, "two closures called");
        Assert.Equal([0, 1], built.Order());

        system.SetThreads(4);
        WaitUntil(() => Volatile.Read(ref calls[3]) > 0 && pool.ActiveCount == 4, "four closures called");
        Assert.Equal([0, 1, 2, 3], built.Order());

        system.SetScale(Scale.Shutdown);
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, built.Count);
    }

    [Fact]
    public void ShutdownAfter_AnswersTheInnerScaleUntilTheDeadline_ThenShutdown()
    {
        var system = DynamicSystem.FunctionWorker(_ => () => Decision.Again)
            .WithThreads(3)
            .ShutdownAfter(TimeSpan.FromSeconds(5), _time);

        Assert.Equal(Scale.Active(3), system.GetScale());
        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Equal(Scale.Active(3), system.GetScale());
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(Scale.Shutdown, system.GetScale());
    }

    [Fact(Timeout = 30_000)]
    public async Task ShutdownAfter_StopsARunningPoolOnTime()
    {
        var calls = 0;
        var system = DynamicSystem.FunctionWorker(_ => () =>
            {
                Interlocked.Increment(ref calls);
                Thread.Yield();
                return Decision.Again;
            })
            .WithThreads(2)
            .ShutdownAfter(TimeSpan.FromSeconds(5), _time);
        var pool = DynamicPool.StartBackground(system, Options(_time));

        _time.Advance(TimeSpan.FromSeconds(4));
        var seen = Volatile.Read(ref calls);
        WaitUntil(() => Volatile.Read(ref calls) > seen + 10, "workers keep working before the deadline");
        Assert.False(pool.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, pool.AliveCount);
    }

    [Fact]
    public void CacheScale_CallsTheInnerScaleAtMostOncePerPeriod()
    {
        var inner = new RecordingSystem { CurrentScale = Scale.Active(2) };
        var cached = inner.CacheScale(TimeSpan.FromSeconds(1), _time);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(Scale.Active(2), cached.GetScale());
        }

        Assert.Equal(1, inner.TotalPolls);
        inner.CurrentScale = Scale.Active(5);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(Scale.Active(2), cached.GetScale());
        Assert.Equal(1, inner.TotalPolls);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Scale.Active(5), cached.GetScale());
        Assert.Equal(Scale.Active(5), cached.GetScale());
        Assert.Equal(2, inner.TotalPolls);
    }

    [Fact(Timeout = 30_000)]
    public async Task CacheScale_UnderAPoolOfWorkers_StillCallsTheInnerScaleOncePerPeriod()
    {
        var inner = new RecordingSystem { CurrentScale = Scale.Active(3) };
        var pool = DynamicPool.StartBackground(inner.CacheScale(TimeSpan.FromSeconds(1), _time), Options(_time));
        WaitUntil(() => inner.Inits.Count == 3 && inner.Inits.All(d => d.Calls > 5), "three workers run");
        Assert.Equal(1, inner.TotalPolls);

        inner.CurrentScale = Scale.Shutdown;
        _time.Advance(TimeSpan.FromSeconds(1));
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, inner.TotalPolls);
        AssertEachClosedOnce(inner.Inits, inner.Closes);
    }

    [Fact]
    public void WithScale_OfAFunction_AsksThatFunction()
    {
        var answers = 0;
        var system = DynamicSystem.FunctionWorker(_ => () => Decision.Again)
            .WithScale(() => Scale.Mixed(++answers, 1));

        Assert.Equal(Scale.Mixed(1, 1), system.GetScale());
        Assert.Equal(Scale.Mixed(2, 1), system.GetScale());
    }

    [Fact]
    public void Combinators_ForwardInitWorkAndCloseToTheWorkPart()
    {
        var work = new RecordingSystem();
        var system = work.WithScale(Scale.NoTerm(1)).ShutdownAfter(TimeSpan.FromHours(1), _time)
            .CacheScale(TimeSpan.FromSeconds(1), _time);

        var data = system.Init(7);
        Assert.Equal(Decision.Again, system.Work(ref data));
        system.Close(data);

        Assert.Equal(7, data.Index);
        Assert.Equal(1, data.Calls);
        Assert.Equal(1, data.Closes);
        Assert.Equal(Scale.NoTerm(1), system.GetScale());
    }
}
