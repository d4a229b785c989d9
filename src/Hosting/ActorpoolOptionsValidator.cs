using System.Text.RegularExpressions;
using Actorpool.Hosting.Configuration;
using Akka.Configuration;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting;

/// <summary>Checks <see cref="ActorpoolOptions"/> when the host starts; every message names the configuration key and the bad value.</summary>
internal sealed partial class ActorpoolOptionsValidator(ActorpoolRegistration registration) : IValidateOptions<ActorpoolOptions>
{
    public ValidateOptionsResult Validate(string? name, ActorpoolOptions options)
    {
        var section = registration.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.SystemName) || !ActorSystemName().IsMatch(options.SystemName))
        {
            failures.Add($"{section}:SystemName must start with a letter or digit and hold only letters, digits, '-' and '_', was '{options.SystemName}'.");
        }

        if (options.DrainTimeout is { } drain && drain <= TimeSpan.Zero)
        {
            failures.Add($"{section}:DrainTimeout must be positive, was {drain}.");
        }

        if (options.HealthRestartThreshold < 1)
        {
            failures.Add($"{section}:HealthRestartThreshold must be at least 1, was {options.HealthRestartThreshold}.");
        }

        if (options.HealthRestartWindow <= TimeSpan.Zero)
        {
            failures.Add($"{section}:HealthRestartWindow must be positive, was {options.HealthRestartWindow}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Hocon))
        {
            try
            {
                ConfigurationFactory.ParseString(options.Hocon);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{section}:Hocon is not valid HOCON ({e.Message}), was '{options.Hocon}'.");
            }
        }

        foreach (var (pool, settings) in options.Pools)
        {
            PoolSettingsValidator.Validate($"{section}:Pools:{pool}", settings, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex ActorSystemName();
}
