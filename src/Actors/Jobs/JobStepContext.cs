namespace Actorpool.Actors.Jobs;

/// <summary>
/// The synchronization context current while an asynchronous job's first step runs on its worker, seen from the job:
/// it may hold a continuation the step posted on the worker's thread (<c>await Task.Yield()</c>). A job whose code
/// returned a task still running asks it to run that continuation at once (<see cref="RunHeldStep"/>), so a job that
/// only yielded ends before its code returns to the worker. The work-stealing dispatcher's context implements it.
/// </summary>
internal abstract class JobStepContext : SynchronizationContext
{
    /// <summary>Runs the held continuation of the current step here, if this thread runs one under such a context.</summary>
    internal static void RunHeldStep()
    {
        if (Current is JobStepContext context)
        {
            context.RunHeldHere();
        }
    }

    /// <summary>Runs the continuation the current step posted and this context holds, if any, on this thread.</summary>
    private protected abstract void RunHeldHere();
}
