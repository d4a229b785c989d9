namespace Actorpool.Benchmarks.Compare;

/// <summary>
/// One side-by-side comparison: several systems (the peer or peers Actorpool must beat, and Actorpool
/// itself) measured on the same metric in the same process. Add a scenario by adding a class that
/// derives from this one; <see cref="CompareRunner"/> finds it by reflection.
/// </summary>
public abstract class Scenario
{
    /// <summary>Short id used by <c>--only</c> and in the JSON lines, e.g. <c>join-fib30</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Unit of the measured value, e.g. <c>ns/join</c>, <c>items/s</c>, <c>us p99</c>.</summary>
    public abstract string Metric { get; }

    /// <summary><c>true</c> when a larger value is better (throughput); <c>false</c> for times and latencies.</summary>
    public abstract bool HigherIsBetter { get; }

    /// <summary>The target from the issue, in words (printed in the table), e.g. <c>ratio >= 5</c>.</summary>
    public virtual string Target => "";

    /// <summary>Whether the Actorpool row meets the target; <c>null</c> when the scenario names none.</summary>
    public virtual bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => null;

    /// <summary>
    /// As <see cref="TargetMet(double, double)"/>, with the row's ratio against each peer by name, for targets
    /// that name several peers (e.g. faster than PLINQ and within 1.5x of sequential LINQ).
    /// </summary>
    public virtual bool? TargetMet(double actorpoolMedian, double ratioVsPeer, IReadOnlyDictionary<string, double> ratioVsEachPeer) =>
        TargetMet(actorpoolMedian, ratioVsPeer);

    /// <summary>
    /// As <see cref="TargetMet(double, double, IReadOnlyDictionary{string, double})"/>, with the row's system, for a
    /// target that names one of several Actorpool rows (return <c>null</c> for the rows it does not judge).
    /// </summary>
    public virtual bool? TargetMet(string system, double actorpoolMedian, double ratioVsPeer, IReadOnlyDictionary<string, double> ratioVsEachPeer) =>
        TargetMet(actorpoolMedian, ratioVsPeer, ratioVsEachPeer);

    /// <summary>
    /// Warm-up rounds (every system once per round, values discarded) before the trials: more than one for
    /// scenarios whose runs are few and long, so every system's code is tiered up before it is measured.
    /// </summary>
    public virtual int WarmupRounds => 1;

    /// <summary>Trials per system after warm-up (the quick mode uses fewer).</summary>
    public virtual int Trials(bool quick) => quick ? 3 : 7;

    /// <summary>
    /// The systems to measure. Each run must verify its own result (throw on a wrong answer) and return
    /// the metric's value. Rows with <see cref="Contender.IsPeer"/> are the peers; the ratio of every row is
    /// taken against the best peer.
    /// </summary>
    public abstract IReadOnlyList<Contender> Contenders(bool quick);

    /// <summary>Where a scenario may write what its metric does not show (per-trial details); set by <see cref="CompareRunner"/>.</summary>
    public TextWriter Progress { get; internal set; } = TextWriter.Null;

    /// <summary>Called once before the first trial (start pools, allocate inputs).</summary>
    public virtual void Setup(bool quick)
    {
    }

    /// <summary>Called once after the last trial (stop pools, release inputs).</summary>
    public virtual void Cleanup()
    {
    }
}

/// <summary>One system in a scenario: its name, whether it is a peer, and one measured run.</summary>
public sealed record Contender(string System, bool IsPeer, Func<double> Run);
