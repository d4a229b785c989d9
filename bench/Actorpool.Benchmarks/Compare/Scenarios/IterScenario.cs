using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// Base of the parallel-query scenarios: a private pool, a time metric, and targets against named peers
/// (each scenario lists the minimum ratio it must reach against each peer it names).
/// </summary>
public abstract class IterScenario : Scenario
{
    protected WorkStealingPool Pool { get; private set; } = null!;

    public override bool HigherIsBetter => false;

    /// <summary>Runs here are few and long: three rounds, so every system runs tiered-up code when measured.</summary>
    public override int WarmupRounds => 3;

    /// <summary>The minimum ratio against each peer (by system name) that the target asks for.</summary>
    protected abstract IReadOnlyDictionary<string, double> Targets { get; }

    public override string Target => string.Join(", ", Targets.Select(t => $">= {t.Value:0.##}x {t.Key}"));

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer, IReadOnlyDictionary<string, double> ratioVsEachPeer) =>
        Targets.All(t => ratioVsEachPeer[t.Key] >= t.Value);

    public override void Setup(bool quick) => Pool = new WorkStealingPool();

    public override void Cleanup() => Pool?.Dispose();

    /// <summary>Runs <paramref name="run"/> <paramref name="repeats"/> times, checks each answer, returns microseconds per run.</summary>
    protected static double Micros<T>(int repeats, T expected, Func<T> run)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            var result = run();
            if (!EqualityComparer<T>.Default.Equals(result, expected))
            {
                throw new InvalidOperationException($"result {result}, expected {expected}");
            }
        }

        return sw.Elapsed.TotalMicroseconds / repeats;
    }

    /// <summary>Times one run in milliseconds after <paramref name="check"/> accepts its answer.</summary>
    protected static double Millis<T>(Func<T> run, Func<T, bool> check)
    {
        var sw = Stopwatch.StartNew();
        var result = run();
        sw.Stop();
        return check(result) ? sw.Elapsed.TotalMilliseconds : throw new InvalidOperationException($"wrong result {result}");
    }
}

/// <summary>An <see cref="IterScenario"/> over one input array, built in Setup and dropped in Cleanup.</summary>
public abstract class IterScenario<T> : IterScenario
{
    protected T[] Data { get; private set; } = [];

    /// <summary>Builds the input (called once, before the first trial).</summary>
    protected abstract T[] Build();

    public override void Setup(bool quick)
    {
        base.Setup(quick);
        Data = Build();
    }

    public override void Cleanup()
    {
        base.Cleanup();
        Data = [];
    }
}
