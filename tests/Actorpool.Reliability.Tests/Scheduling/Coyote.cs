using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace Actorpool.Reliability.Tests.Scheduling;

/// <summary>Runs a test body under Coyote's systematic TestingEngine (rewritten assemblies, telemetry off).</summary>
internal static class Coyote
{
    /// <summary>Explores <paramref name="iterations"/> schedules of <paramref name="test"/> and returns the report.</summary>
    internal static TestReport Explore(Func<Task> test, uint iterations, uint maxSteps = 2_000)
    {
        var configuration = Configuration.Create()
            .WithTelemetryEnabled(false)
            .WithTestingIterations(iterations)
            .WithMaxSchedulingSteps(maxSteps)
            .WithPrioritizationStrategy(isFair: false, priorityChangeBound: 10)
            .WithRandomGeneratorSeed(20261130)
            .WithAtomicOperationRaceCheckingEnabled(true)
            .WithVolatileOperationRaceCheckingEnabled(true)
            .WithLockAccessRaceCheckingEnabled(true)
            .WithPotentialDeadlocksReportedAsBugs(true)
            .WithPartiallyControlledConcurrencyAllowed(false);
        using var engine = TestingEngine.Create(configuration, test);
        engine.Run();
        return engine.TestReport;
    }

    /// <summary>Asserts that no explored schedule broke an assertion, deadlocked or ran uncontrolled code.</summary>
    internal static void AssertNoBug(TestReport report)
    {
        Assert.True(report.NumOfFoundBugs == 0, string.Join(Environment.NewLine, report.BugReports));
        Assert.Empty(report.InternalErrors);
        Assert.True(report.NumOfExploredUnfairPaths + report.NumOfExploredFairPaths > 0, "Coyote explored no schedule.");
    }

    /// <summary>Asserts that Coyote found a bug whose report contains <paramref name="expected"/>.</summary>
    internal static void AssertFindsBug(TestReport report, string expected)
    {
        Assert.True(report.NumOfFoundBugs > 0, "Coyote did not find the planted bug.");
        Assert.Contains(report.BugReports, bug => bug.Contains(expected, StringComparison.Ordinal));
    }

    /// <summary>Explores <paramref name="test"/> off the xunit thread and asserts that no schedule found a bug.</summary>
    internal static async Task AssertNoBugAsync(Func<Task> test, uint iterations, uint maxSteps = 2_000) =>
        AssertNoBug(await Task.Run(() => Explore(test, iterations, maxSteps)));

    /// <summary>
    /// Turns a planted bug on (<paramref name="plant"/> is called with true, and with false afterwards), explores
    /// <paramref name="test"/> and asserts that Coyote found a bug whose report contains <paramref name="expected"/>.
    /// </summary>
    internal static async Task AssertFindsPlantedBugAsync(Action<bool> plant, Func<Task> test, uint iterations, string expected, uint maxSteps = 2_000)
    {
        plant(true);
        try
        {
            AssertFindsBug(await Task.Run(() => Explore(test, iterations, maxSteps)), expected);
        }
        finally
        {
            plant(false);
        }
    }
}
