namespace Actorpool;

/// <summary>A foreground job that can sit in a <see cref="WorkDeque"/> and be run by a thief.</summary>
internal abstract class Job
{
    /// <summary>Runs the job on <paramref name="runner"/>'s thread; never throws (failures are stored).</summary>
    internal abstract void Execute(ThreadContext runner);
}
