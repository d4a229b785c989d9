namespace Actorpool.Testing.Tests;

/// <summary>The plan's own bookkeeping and its validation, without a pool.</summary>
public sealed class FaultPlanTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Plans_WithACountBelowOne_AreRefusedNamingTheCount(int count)
    {
        var plan = new FaultPlan();

        var problems = new Action[]
        {
            () => plan.FailNextJobs(count),
            () => plan.FailNextJobOn(0, count),
            () => plan.FailNextInits(count),
            () => plan.FailNextInitOn(0, count),
            () => plan.DelayNextJobs(TimeSpan.FromSeconds(1), count),
        };

        Assert.All(problems, problem =>
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(problem);
            Assert.Equal("count", e.ParamName);
            Assert.Contains($"was {count}", e.Message, StringComparison.Ordinal);
        });
        Assert.Equal(0, plan.Pending);
    }

    [Fact]
    public void Plans_ForANegativeWorkerOrANonPositiveDelay_AreRefusedNamingTheValue()
    {
        var plan = new FaultPlan();

        Assert.Equal("worker", Assert.Throws<ArgumentOutOfRangeException>(() => plan.FailNextJobOn(-1)).ParamName);
        Assert.Equal("worker", Assert.Throws<ArgumentOutOfRangeException>(() => plan.FailNextInitOn(-1)).ParamName);
        var delay = Assert.Throws<ArgumentOutOfRangeException>(() => plan.DelayNextJobs(TimeSpan.Zero));
        Assert.Equal("delay", delay.ParamName);
        Assert.Contains("was 00:00:00", delay.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.DelayNextJobs(Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Pending_CountsEveryPlannedFault_AndClearForgetsThem()
    {
        var plan = new FaultPlan()
            .FailNextJobs(2)
            .FailNextJobOn(1)
            .FailNextJobOn(1)
            .FailNextInits()
            .FailNextInitOn(3, count: 2)
            .DelayNextJobs(TimeSpan.FromSeconds(1), count: 3);

        Assert.Equal(10, plan.Pending);
        plan.Clear();
        Assert.Equal(0, plan.Pending);
        Assert.Empty(plan.Injected);
    }

    [Fact]
    public void InjectedFaultException_NamesTheFaultAndWhereItHit()
    {
        var job = new InjectedFaultException(new InjectedFault(FaultKind.FailWorkerJob, 2));
        var init = new InjectedFaultException(new InjectedFault(FaultKind.FailInit, 0));

        Assert.Equal("Injected fault FailWorkerJob on worker 2: the test's FaultPlan made this job throw on purpose.", job.Message);
        Assert.Equal("Injected fault FailInit on worker 0: the test's FaultPlan made this Init throw on purpose.", init.Message);
        Assert.Equal(new InjectedFault(FaultKind.FailInit, 0), init.Fault);
        Assert.Equal("DelayJob of 00:00:05 on no pool worker", new InjectedFault(FaultKind.DelayJob, null, TimeSpan.FromSeconds(5)).ToString());
    }
}
