using Actorpool.Actors.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Supervision;

/// <summary>The one restart window every kind of pool uses: its edge rule, on fake time, without an ActorSystem.</summary>
public sealed class RestartWindowTests
{
    [Fact]
    public void ARestart_CountsWhileLessThanTheWindowHasElapsed_AndLeavesAtExactlyTheWindow()
    {
        var time = new FakeTimeProvider();
        var window = new RestartWindow(new RestartBudget(2, TimeSpan.FromSeconds(10)), time);

        Assert.True(window.TryRecord());
        Assert.True(window.TryRecord());
        Assert.False(window.TryRecord()); // a third within the window spends the budget

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(window.TryRecord()); // one tick short of the window: both still count

        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(window.TryRecord()); // exactly the window: both have left
        Assert.True(window.TryRecord());
        Assert.False(window.TryRecord());
    }

    [Fact]
    public void Decide_SpendsTheBudgetOnlyForRespawn_AndNeverWithoutABudget()
    {
        var time = new FakeTimeProvider();
        var budget = new RestartBudget(1, TimeSpan.FromMinutes(1));
        var window = new RestartWindow(budget, time);

        Assert.Equal(PanicKind.Resume, window.Decide(PanicPolicy.Resume));
        Assert.Equal(PanicKind.Kill, window.Decide(PanicPolicy.Kill));
        Assert.Equal(PanicKind.Respawn, window.Decide(PanicPolicy.Respawn(budget)));
        Assert.Equal(PanicKind.Kill, window.Decide(PanicPolicy.Respawn(budget))); // the second restart of one allowed

        var unbounded = new RestartWindow(null, time);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(PanicKind.Respawn, unbounded.Decide(PanicPolicy.Respawn() with { Budget = null }));
        }
    }

    [Fact]
    public void ASampler_RecordsRestartsSeenTogether_AndTheyLeaveTogetherAtExactlyTheWindow()
    {
        var time = new FakeTimeProvider();
        var window = new RestartWindow(TimeSpan.FromSeconds(60), max: null, time);

        Assert.Equal(3, window.Record(3));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(5, window.Record(2));
        time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(5, window.Record(0));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(2, window.Record(0)); // the first three were seen exactly 60 s ago
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, window.Record(0));
    }
}
