using Actorpool.Actors.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Supervision;

/// <summary>The one panic decision every kind of pool uses, judged without an ActorSystem, on fake time.</summary>
public sealed class PanicTests
{
    private static readonly Exception Boom = new InvalidOperationException("boom");

    [Fact]
    public void Kill_KillsAtTheFirstFailure_NamingIt()
    {
        var verdict = new Panic(PanicPolicy.Kill, new FakeTimeProvider()).Judge(Boom, noProgress: false, attempt: 1);

        Assert.Equal(new PanicVerdict(PanicKind.Kill, TimeSpan.Zero, Boom), verdict);
    }

    [Fact]
    public void Resume_KeepsAWorkerThatDidWork_AndRestartsOneThatCouldNotStart_WithBackoff()
    {
        var panic = new Panic(PanicPolicy.Resume, new FakeTimeProvider());

        Assert.Equal(PanicKind.Resume, panic.Judge(Boom, noProgress: false, attempt: 1).Kind);
        var restart = panic.Judge(Boom, noProgress: true, attempt: 3);
        Assert.Equal((PanicKind.Respawn, TimeSpan.FromMilliseconds(40)), (restart.Kind, restart.Backoff)); // 10 ms doubling
    }

    [Fact]
    public void Respawn_SpendsItsBudget_ThenKillsNamingTheBudget_AndBacksOffAsConfigured()
    {
        var budget = new RestartBudget(2, TimeSpan.FromMinutes(1)) { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(3) };
        var panic = new Panic(PanicPolicy.Respawn(budget), new FakeTimeProvider());

        Assert.Equal((PanicKind.Respawn, TimeSpan.FromSeconds(1)), Short(panic.Judge(Boom, false, 1)));
        Assert.Equal((PanicKind.Respawn, TimeSpan.FromSeconds(2)), Short(panic.Judge(Boom, false, 2)));
        var killed = panic.Judge(Boom, false, 3);
        Assert.Equal(PanicKind.Kill, killed.Kind);
        Assert.Same(Boom, Assert.IsType<RestartBudgetExceededException>(killed.KillCause).InnerException);
        Assert.Equal(TimeSpan.FromSeconds(3), budget.BackoffFor(5)); // capped by MaxBackoff
    }

    [Fact]
    public void Respawn_WithoutABudget_NeverKills_ButAWorkerThatCannotStartBacksOffUpToTheCap()
    {
        var panic = new Panic(PanicPolicy.Respawn() with { Budget = null }, new FakeTimeProvider());

        Assert.Equal((PanicKind.Respawn, TimeSpan.Zero), Short(panic.Judge(Boom, noProgress: false, attempt: 1)));
        Assert.Equal((PanicKind.Respawn, TimeSpan.FromMilliseconds(10)), Short(panic.Judge(Boom, noProgress: true, attempt: 1)));
        Assert.Equal((PanicKind.Respawn, RestartBudget.Default.MaxBackoff), Short(panic.Judge(Boom, noProgress: true, attempt: 40)));
    }

    private static (PanicKind, TimeSpan) Short(PanicVerdict verdict) => (verdict.Kind, verdict.Backoff);
}
