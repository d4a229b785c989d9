namespace Actorpool.Testing;

/// <summary>The kinds of fault a <see cref="FaultPlan"/> injects.</summary>
public enum FaultKind
{
    /// <summary>A job failed: planned with <see cref="FaultPlan.FailNextJobs"/>, on whichever worker runs it.</summary>
    FailJob,

    /// <summary>A job on one given worker failed: planned with <see cref="FaultPlan.FailNextJobOn"/>.</summary>
    FailWorkerJob,

    /// <summary>A worker's state factory (<c>Init</c>) threw: planned with <see cref="FaultPlan.FailNextInits"/> or <see cref="FaultPlan.FailNextInitOn"/>.</summary>
    FailInit,

    /// <summary>A job waited on the pool's clock before its code ran: planned with <see cref="FaultPlan.DelayNextJobs"/>.</summary>
    DelayJob,
}

/// <summary>One fault a <see cref="FaultPlan"/> injected: its kind, the worker it hit, and for a delay how long.</summary>
/// <param name="Kind">What was injected.</param>
/// <param name="Worker">The index of the worker it hit; <c>null</c> when the job did not run on a pool worker.</param>
/// <param name="Delay">How long the job waited (a <see cref="FaultKind.DelayJob"/>); <c>null</c> otherwise.</param>
public sealed record InjectedFault(FaultKind Kind, int? Worker, TimeSpan? Delay = null)
{
    /// <summary>Says what was injected where, e.g. "FailJob on worker 1".</summary>
    public override string ToString() =>
        $"{Kind}{(Delay is { } delay ? $" of {delay}" : string.Empty)} on {(Worker is { } worker ? $"worker {worker}" : "no pool worker")}";
}
