using Actorpool.Dynamic;
using Microsoft.Extensions.Time.Testing;
using static Actorpool.Core.Tests.Dynamic.DynamicTestKit;

namespace Actorpool.Core.Tests.Dynamic;

public sealed class ScalingTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact(Timeout = 30_000)]
    public async Task Scale_UpAndDown_FollowsTheScaleFunction_EndingHighestIndexFirst()
    {
        // The highest worker is slow to notice the drop, so the lower ones must wait for it to end first.
        using var neverSet = new ManualResetEventSlim();
        var system = new RecordingSystem();
        system.OnWork = d =>
        {
            if (d.Index == 3)
            {
                neverSet.Wait(TimeSpan.FromMilliseconds(30));
            }

            return Decision.Again;
        };
        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => system.Inits.Count == 1, "worker 0 started");

        system.CurrentScale = Scale.Active(4);
        WaitUntil(() => system.Inits.Count == 4 && pool.ActiveCount == 4, "four workers run");
        Assert.Equal([0, 1, 2, 3], Indexes(system.Inits).Order());
        Assert.Equal(4, pool.AliveCount);
        Assert.All(system.Inits, d => Assert.Equal($"dyn-test-{d.Index}", d.ThreadName));

        system.CurrentScale = Scale.Active(1);
        WaitUntil(() => system.Closes.Count == 3 && pool.AliveCount == 1, "three workers ended");
        Assert.Equal([3, 2, 1], Indexes(system.Closes));
        Assert.Equal(1, pool.ActiveCount);

        system.CurrentScale = Scale.Active(3);
        WaitUntil(() => system.Inits.Count == 6 && pool.ActiveCount == 3, "two workers restarted");
        Assert.Equal([1, 2], Indexes(system.Inits.Skip(4)).Order());

        system.CurrentScale = Scale.Shutdown;
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, pool.AliveCount);
        Assert.Equal(0, pool.ActiveCount);
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task ActiveZero_KeepsWorkerZeroAliveAndIdle_UntilThePollSeesTheScaleRise()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(2) };
        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => system.Inits.Count == 2, "two workers run");

        system.CurrentScale = Scale.Active(0);
        WaitUntil(() => system.Closes.Count == 1 && pool.AliveCount == 1 && pool.ActiveCount == 0, "worker 1 ended");
        Assert.Equal([1], Indexes(system.Closes));

        system.CurrentScale = Scale.Active(2);
        _time.Advance(Poll);
        WaitUntil(() => system.Inits.Count == 3 && pool.ActiveCount == 2, "worker 1 restarted");

        pool.RequestShutdown();
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        AssertEachClosedOnce(system.Inits, system.Closes);
        Assert.Equal([0, 1, 1], Indexes(system.Inits).Order());
    }

    [Fact(Timeout = 30_000)]
    public async Task Mixed_KeepsUpToMaxInactiveIdleThreads_AndEndsTheRestHighestFirst()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(4) };
        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => system.Inits.Count == 4, "four workers run");

        system.CurrentScale = Scale.Mixed(1, 2);
        WaitUntil(() => system.Closes.Count == 1 && pool.AliveCount == 3 && pool.ActiveCount == 1, "worker 3 ended");
        TickAndWaitForPolls(system, 1, 2);
        TickAndWaitForPolls(system, 1, 2);
        Assert.Equal([3], Indexes(system.Closes));
        Assert.Equal(3, pool.AliveCount);
        Assert.Equal(1, pool.ActiveCount);

        system.CurrentScale = Scale.Mixed(1, 0);
        _time.Advance(Poll);
        WaitUntil(() => system.Closes.Count == 3 && pool.AliveCount == 1, "idle workers ended");
        Assert.Equal([3, 2, 1], Indexes(system.Closes));

        pool.RequestShutdown();
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task NoTerm_NeverEndsIdleThreads_AndKeepsTheirData()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(4) };
        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => system.Inits.Count == 4, "four workers run");

        system.CurrentScale = Scale.NoTerm(1);
        WaitUntil(() => pool.ActiveCount == 1, "three workers idle");
        TickAndWaitForPolls(system, 1, 2, 3);
        TickAndWaitForPolls(system, 1, 2, 3);
        Assert.Empty(system.Closes);
        Assert.Equal(4, pool.AliveCount);

        system.CurrentScale = Scale.NoTerm(4);
        _time.Advance(Poll);
        WaitUntil(() => pool.ActiveCount == 4, "idle workers active again");
        Assert.Equal(4, system.Inits.Count);

        pool.RequestShutdown();
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task IdleWorkers_DoNotSpin_TheyAskTheScaleOncePerPollTick()
    {
        var system = new RecordingSystem { CurrentScale = Scale.Active(3) };
        var pool = DynamicPool.StartBackground(system, Options(_time));
        WaitUntil(() => system.Inits.Count == 3, "three workers run");

        system.CurrentScale = Scale.NoTerm(0);
        WaitUntil(() => pool.ActiveCount == 0, "every worker idle");
        await Task.Delay(50);
        var polls = system.TotalPolls;
        await Task.Delay(100);
        Assert.Equal(polls, system.TotalPolls);

        _time.Advance(Poll);
        WaitUntil(() => system.TotalPolls == polls + 3, "each idle worker polled once");
        await Task.Delay(100);
        Assert.Equal(polls + 3, system.TotalPolls);

        pool.RequestShutdown();
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    [Fact(Timeout = 30_000)]
    public async Task Incomplete_CallsWorkAgainAtOnce_WithoutAskingTheScale()
    {
        var system = new RecordingSystem();
        var pollsSeen = new List<(int Call, int Polls)>();
        system.OnWork = d =>
        {
            pollsSeen.Add((d.Calls, system.TotalPolls));
            return d.Calls % 4 == 0 ? Decision.Again : Decision.Incomplete;
        };
        system.ScaleOverride = () =>
            system.Inits.TryPeek(out var d) && d.Calls >= 12 ? Scale.Shutdown : Scale.Active(1);

        await Task.Run(() => DynamicPool.RunForeground(system, Options(_time))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(1, 12), pollsSeen.Select(p => p.Call));
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], pollsSeen.Select(p => p.Polls));
        Assert.Equal(4, system.TotalPolls);
    }

    [Fact(Timeout = 60_000)]
    public async Task RepeatedScaleDrops_NeverLoseTheWakeUpThatLetsTheNextWorkerEnd()
    {
        // Fake time never moves here: each step of a scale-down cascade relies on the signal from the worker above.
        var system = new RecordingSystem();
        var pool = DynamicPool.StartBackground(system, Options(_time));
        for (var round = 1; round <= 30; round++)
        {
            system.CurrentScale = Scale.Active(4);
            WaitUntil(() => pool.ActiveCount == 4, $"four workers active in round {round}");
            system.CurrentScale = Scale.Active(1);
            WaitUntil(() => system.Closes.Count == 3 * round && pool.AliveCount == 1, $"scale-down of round {round}");
        }

        pool.RequestShutdown();
        await pool.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1 + (3 * 30), system.Inits.Count);
        AssertEachClosedOnce(system.Inits, system.Closes);
    }

    private void TickAndWaitForPolls(RecordingSystem system, params int[] idle)
    {
        var before = idle.Select(system.PollsBy).ToArray();
        _time.Advance(Poll);
        WaitUntil(
            () => idle.Select(system.PollsBy).Zip(before).All(p => p.First > p.Second),
            $"workers {string.Join(", ", idle)} polled after a tick");
    }
}
