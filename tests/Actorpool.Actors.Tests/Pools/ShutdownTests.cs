using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>The rules of a pool's way out (phases, deadline, waiters, retirement), without an ActorSystem.</summary>
public sealed class ShutdownTests
{
    private static StopWaiter Waiter() => new(null, new TaskCompletionSource<PoolStopReport>());

    [Fact]
    public void Drain_ClosesTheDoor_KeepsDispatching_AndRetiresOnlyWhenEverythingRan()
    {
        var stop = new Shutdown("p");

        var (arm, closed, cancel) = stop.Begin(drain: true, deadline: null, Waiter());

        Assert.Equal((null, true, false), (arm, closed, cancel));
        Assert.Equal((false, true), (stop.Running, stop.Dispatching));
        Assert.Equal((false, false), stop.Retirement(backlogEmpty: false, workersIdle: true));
        Assert.Equal((false, false), stop.Retirement(backlogEmpty: true, workersIdle: false));
        Assert.Equal((true, false), stop.Retirement(backlogEmpty: true, workersIdle: true));
        Assert.True(stop.RetiringAll);
    }

    [Fact]
    public void Stop_CancelsTheQueue_AndAStopAfterADrainTakesOver_ButNotTheOtherWayRound()
    {
        var stop = new Shutdown("p");
        stop.Begin(drain: true, deadline: null, Waiter());

        Assert.Equal((false, true, true), Short(stop.Begin(drain: false, deadline: null, Waiter())));
        Assert.Equal((false, false, false), Short(stop.Begin(drain: true, deadline: null, Waiter()))); // a drain cannot undo a stop
        Assert.False(stop.Dispatching);
        Assert.Equal((true, false), stop.Retirement(backlogEmpty: false, workersIdle: false));
        Assert.Equal(3, stop.TakeWaiters()!.Count);
        Assert.Null(stop.TakeWaiters()); // each waiter gets the report once
    }

    [Fact]
    public void Deadline_IsArmedOnce_CutsADrainOff_AndOutOfRangeValuesMeanNoneOrNow()
    {
        var stop = new Shutdown("p");
        Assert.False(stop.ReachDeadline()); // a running pool has no deadline to reach

        Assert.Equal(TimeSpan.FromSeconds(5), stop.Begin(drain: true, TimeSpan.FromSeconds(5), Waiter()).ArmDeadline);
        Assert.Null(stop.Begin(drain: true, TimeSpan.FromSeconds(1), Waiter()).ArmDeadline); // armed already

        Assert.True(stop.ReachDeadline());
        Assert.False(stop.ReachDeadline());
        Assert.Equal((PoolPhase.Stopping, true), (stop.Phase, stop.DeadlineReached));
        Assert.Equal((true, true), stop.Retirement(backlogEmpty: false, workersIdle: false)); // at once

        Assert.Null(new Shutdown("q").Begin(drain: true, TimeLimits.MaxDelay + TimeSpan.FromTicks(1), Waiter()).ArmDeadline);
        Assert.Equal(TimeSpan.Zero, new Shutdown("r").Begin(drain: true, TimeSpan.FromSeconds(-1), Waiter()).ArmDeadline);
    }

    [Fact]
    public void Kill_RetiresAtOnce_AndRefusesNamingTheCause()
    {
        var stop = new Shutdown("p");
        stop.Kill(new InvalidOperationException("fatal"));

        Assert.Equal((true, true), stop.Retirement(backlogEmpty: false, workersIdle: false));
        Assert.Equal("Pool 'p' was killed: fatal", stop.RefusalReason());
        Assert.Equal("Pool 'q' is draining and accepts no new jobs.", Draining("q").RefusalReason());
    }

    private static Shutdown Draining(string name)
    {
        var stop = new Shutdown(name);
        stop.Begin(drain: true, deadline: null, Waiter());
        return stop;
    }

    private static (bool, bool, bool) Short((TimeSpan? Arm, bool Closed, bool Cancel) begun) => (begun.Arm is not null, begun.Closed, begun.Cancel);
}
