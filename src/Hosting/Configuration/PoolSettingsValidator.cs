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
        AtLeast(failures, $"{prefix}:Capacity", settings.Capacity, 1);
        InRange(failures, $"{prefix}:PollInterval", settings.PollInterval, positive: true);
        InRange(failures, $"{prefix}:JobTimeout", settings.JobTimeout, positive: true);
        if (settings.FailureLogLevel is { } level && !Enum.IsDefined(level))
        {
            failures.Add($"{prefix}:FailureLogLevel must be DebugLevel, InfoLevel, WarningLevel or ErrorLevel, was {level}.");
        }
        Add(failures, OptionRules.NullOrNotBlank($"{prefix}:Dispatcher", settings.Dispatcher, "a dispatcher id"));
        Add(failures, OptionRules.NullOrNotBlank($"{prefix}:SupervisorDispatcher", settings.SupervisorDispatcher, "a dispatcher id"));

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

    /// <summary>Adds one failure per value set for a <paramref name="kind"/> pool that its kind does not read (<paramref name="known"/>).</summary>
    public static void CheckKind(string prefix, PoolSettings settings, string kind, IReadOnlyList<string> known, List<string> failures)
    {
        foreach (var property in typeof(PoolSettings).GetProperties())
        {
            if (property.GetValue(settings) is not null && !known.Contains(property.Name, StringComparer.Ordinal))
            {
                var its = known.Count == 0 ? "it has no settings (its registration configures it)" : $"its settings are {string.Join(", ", known)}";
                failures.Add($"{prefix}:{property.Name} is not a setting of {kind} pools; {its}.");
            }
        }
    }

    private static void AtLeast(List<string> failures, string key, int? value, int minimum)
    {
        if (value is { } v)
        {
            Add(failures, OptionRules.AtLeast(key, v, minimum));
        }
    }

    private static void Add(List<string> failures, string? problem)
    {
        if (problem is not null)
        {
            failures.Add(problem);
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
