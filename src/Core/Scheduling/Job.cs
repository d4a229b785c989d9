namespace Actorpool;

/// <summary>A foreground job that can sit in a <see cref="WorkDeque"/> and be run by a thief.</summary>
internal abstract class Job
{
    /// <summary>Runs the job on <paramref name="runner"/>'s thread; never throws (failures are stored).</summary>
    internal abstract void Execute(ThreadContext runner);

    /// <summary>
    /// Called by the thread running this (stolen) job after it pushed new stealable work: wakes the job's owner
    /// if it sleeps waiting for the job, so it can help with that work at once.
    /// </summary>
    internal virtual void WakeSleepingOwner()
    {
    }
}
