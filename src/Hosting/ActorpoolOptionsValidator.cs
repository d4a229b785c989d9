using System.Text.RegularExpressions;
using Actorpool.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting;

/// <summary>Checks <see cref="ActorpoolOptions"/> when the host starts; every message names the configuration key and the bad value.</summary>
internal sealed partial class ActorpoolOptionsValidator(ActorpoolRegistration registration, IServiceProvider services) : IValidateOptions<ActorpoolOptions>
{
    public ValidateOptionsResult Validate(string? name, ActorpoolOptions options)
    {
        var section = registration.SectionName;
        var failures = new List<string>();
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            foreach (var bound in registration.BoundSections)
            {
                KnownKeys.Check(configuration.GetSection(bound), typeof(ActorpoolOptions), failures);
            }
        }

        if (string.IsNullOrEmpty(options.SystemName) || !ActorSystemName().IsMatch(options.SystemName))
        {
            failures.Add($"{section}:SystemName must start with a letter or digit and hold only letters, digits, '-' and '_', was '{options.SystemName}'.");
        }

        PoolSettingsValidator.InRange(failures, $"{section}:DrainTimeout", options.DrainTimeout, positive: true);

        if (options.HealthRestartThreshold < 1)
        {
            failures.Add($"{section}:HealthRestartThreshold must be at least 1, was {options.HealthRestartThreshold}.");
        }

        PoolSettingsValidator.InRange(failures, $"{section}:HealthRestartWindow", options.HealthRestartWindow, positive: true);

        if (!string.IsNullOrWhiteSpace(options.Hocon))
        {
            try
            {
                HoconGuard.Parse(options.Hocon);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{section}:Hocon is not valid HOCON ({e.Message}), was '{options.Hocon}'.");
            }
        }

        foreach (var (pool, settings) in options.Pools)
        {
            PoolSettingsValidator.Validate($"{section}:Pools:{pool}", settings, failures);
            if (registration.Find(pool) is { } registered)
            {
                PoolSettingsValidator.CheckKind($"{section}:Pools:{pool}", settings, registered.Kind, registered.SettingNames, failures);
            }
            else
            {
                var known = registration.Pools.Count == 0 ? "none" : string.Join(", ", registration.Pools.Select(p => p.Name));
                failures.Add($"{section}:Pools:{pool} configures a pool that is not registered with AddPool (registered: {known}), was '{pool}'.");
            }
        }

        if (failures.Count == 0)
        {
            // Only once the configuration is sane: build every pool's final options as the start will.
            foreach (var pool in registration.Pools)
            {
                try
                {
                    pool.CheckOptions(services, options.Pools.GetValueOrDefault(pool.Name));
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    failures.Add(e.Message);
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex ActorSystemName();
}
