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
            if (panic.Window is { } window && window <= TimeSpan.Zero)
            {
                failures.Add($"{at}:Window must be positive, was {window}.");
            }

            NotNegative(failures, $"{at}:InitialBackoff", panic.InitialBackoff);
            NotNegative(failures, $"{at}:MaxBackoff", panic.MaxBackoff);
        }
    }

    private static void AtLeast(List<string> failures, string key, int? value, int minimum)
    {
        if (value is { } v && v < minimum)
        {
            failures.Add($"{key} must be at least {minimum}, was {v}.");
        }
    }

    private static void NotNegative(List<string> failures, string key, TimeSpan? value)
    {
        if (value is { } v && v < TimeSpan.Zero)
        {
            failures.Add($"{key} must not be negative, was {v}.");
        }
    }
}
