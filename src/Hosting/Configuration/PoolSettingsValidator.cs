namespace Actorpool.Hosting.Configuration;

/// <summary>Checks one pool's configuration; every failure names the full configuration key and the bad value.</summary>
internal static class PoolSettingsValidator
{
    public static void Validate(string prefix, PoolSettings settings, List<string> failures)
    {
        AtLeast(failures, $"{prefix}:Workers", settings.Workers, 1);
        AtLeast(failures, $"{prefix}:MinWorkers", settings.MinWorkers, 0);
        AtLeast(failures, $"{prefix}:MaxWorkers", settings.MaxWorkers, 1);
        if (settings is { MinWorkers: { } min, MaxWorkers: { } max } && min > max)
        {
            failures.Add($"{prefix}:MaxWorkers must be at least {prefix}:MinWorkers ({min}), was {max}.");
        }

        AtLeast(failures, $"{prefix}:Backlog", settings.Backlog, 1);
        AtLeast(failures, $"{prefix}:Prefetch", settings.Prefetch, 1);
        if (settings.Dispatcher is { } dispatcher && string.IsNullOrWhiteSpace(dispatcher))
        {
            failures.Add($"{prefix}:Dispatcher must be a dispatcher id, was '{dispatcher}'.");
        }

        if (settings.SupervisorDispatcher is { } supervisorDispatcher && string.IsNullOrWhiteSpace(supervisorDispatcher))
        {
            failures.Add($"{prefix}:SupervisorDispatcher must be a dispatcher id, was '{supervisorDispatcher}'.");
        }

        if (settings.Panic is { } panic)
        {
            var at = prefix + ":Panic";
            if (panic.Kind is { } kind && panic.ParsedKind is null)
            {
                failures.Add($"{at}:Kind must be Kill, Respawn or Resume, was '{kind}'.");
            }

            AtLeast(failures, $"{at}:MaxRestarts", panic.MaxRestarts, 0);
            AtLeast(failures, $"{at}:JobRetries", panic.JobRetries, 0);
            InRange(failures, $"{at}:Window", panic.Window, positive: true);
            InRange(failures, $"{at}:InitialBackoff", panic.InitialBackoff, positive: false);
            InRange(failures, $"{at}:MaxBackoff", panic.MaxBackoff, positive: false);
        }
    }

    private static void AtLeast(List<string> failures, string key, int? value, int minimum)
    {
        if (value is { } v && v < minimum)
        {
            failures.Add($"{key} must be at least {minimum}, was {v}.");
        }
    }

    /// <summary>The range every time option shares with the options records (<see cref="TimeLimits"/>), worded the same way.</summary>
    internal static void InRange(List<string> failures, string key, TimeSpan? value, bool positive)
    {
        if (value is { } v && TimeLimits.Problem(key, v, TimeLimits.MaxDelay, positive) is { } problem)
        {
            failures.Add(problem);
        }
    }
}
