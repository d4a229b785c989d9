namespace Actorpool.Core.Tests.Scheduling;

/// <summary>
/// A fact that needs at least two cores: on a one-core machine it is reported as skipped, with the reason, rather
/// than passing without having checked anything.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MultiCoreFactAttribute : FactAttribute
{
    public MultiCoreFactAttribute(string reason)
    {
        if (Environment.ProcessorCount < 2)
        {
            Skip = $"Needs at least 2 cores (this machine has {Environment.ProcessorCount}): {reason}";
        }
    }
}
