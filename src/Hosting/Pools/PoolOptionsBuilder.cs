using System.Diagnostics.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Dynamic;
using Actorpool.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// Builds a pool's final options: a seed with its name, the container's <see cref="TimeProvider"/> (if one is
/// registered) and <see cref="IMeterFactory"/> (a generic host registers one), the code's configure, then the
/// configuration's values.
/// </summary>
internal static class PoolOptionsBuilder<TState>
{
    // Marks "Init not set by the configure callback"; never called by a validated pool.
    private static readonly Func<int, TState> MissingInit = static _ => throw new InvalidOperationException("Init was not set.");

    public static PoolOptions<TState> Build(
        string name,
        Func<IServiceProvider, PoolOptions<TState>, PoolOptions<TState>> configure,
        IServiceProvider services,
        PoolSettings? settings)
    {
        // The container's clock (a FakeTimeProvider in tests) and meter factory are the seed: what the callback sets wins.
        var seed = new PoolOptions<TState>
        {
            Name = name,
            Init = MissingInit,
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
            MeterFactory = services.GetService<IMeterFactory>(),
        };
        var options = configure(services, seed)
            ?? throw new ArgumentException($"Pool '{name}': the AddPool configure callback returned null.", nameof(configure));
        if (!string.Equals(options.Name, name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Pool '{name}': the configure callback must keep Name, was '{options.Name}'.", nameof(configure));
        }

        if (ReferenceEquals(options.Init, MissingInit))
        {
            throw new ArgumentException($"Pool '{name}': Init must be set in AddPool, was not set.", nameof(configure));
        }

        options = Apply(options, settings);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Pool '{name}': {e.Message}", e.ParamName, e);
        }

        return options;
    }

    private static PoolOptions<TState> Apply(PoolOptions<TState> options, PoolSettings? settings)
    {
        if (settings is null)
        {
            return options;
        }

        if (settings.MinWorkers is not null || settings.MaxWorkers is not null)
        {
            var min = settings.MinWorkers ?? 1;
            var max = settings.MaxWorkers ?? Math.Max(min, Environment.ProcessorCount);
            options = options with
            {
                Scale = load => Scale.Active(Math.Clamp(load.Busy + load.Backlog, min, max)),
                MaxWorkers = Math.Max(options.MaxWorkers, max),
            };
        }
        else if (settings.Workers is { } workers)
        {
            options = options with { Workers = workers, Scale = null, MaxWorkers = Math.Max(options.MaxWorkers, workers) };
        }

        options = options with
        {
            Backlog = settings.Backlog ?? options.Backlog,
            Prefetch = settings.Prefetch ?? options.Prefetch,
            JobTimeout = settings.JobTimeout ?? options.JobTimeout,
            OwnThreads = settings.OwnThreads ?? options.OwnThreads,
            FailureLogLevel = settings.FailureLogLevel ?? options.FailureLogLevel,
            Dispatcher = settings.Dispatcher ?? options.Dispatcher,
            SupervisorDispatcher = settings.SupervisorDispatcher ?? options.SupervisorDispatcher,
        };
        return settings.Panic is { } panic ? options with { Panic = Apply(options.Panic, panic) } : options;
    }

    private static PanicPolicy Apply(PanicPolicy policy, PanicSettings panic)
    {
        if (panic.ParsedKind is { } kind)
        {
            // A policy switched to Respawn from configuration keeps a budget: "no limit" is a choice made in code.
            policy = policy with { Kind = kind, Budget = kind == PanicKind.Respawn ? policy.Budget ?? RestartBudget.Default : policy.Budget };
        }

        if (panic.MaxRestarts is not null || panic.Window is not null || panic.InitialBackoff is not null || panic.MaxBackoff is not null)
        {
            var old = policy.Budget ?? RestartBudget.Default;
            policy = policy with
            {
                Budget = new RestartBudget(panic.MaxRestarts ?? old.MaxRestarts, panic.Window ?? old.Window)
                {
                    InitialBackoff = panic.InitialBackoff ?? old.InitialBackoff,
                    MaxBackoff = panic.MaxBackoff ?? old.MaxBackoff,
                },
            };
        }

        return panic.JobRetries is { } retries ? policy.WithJobRetries(retries) : policy;
    }
}
