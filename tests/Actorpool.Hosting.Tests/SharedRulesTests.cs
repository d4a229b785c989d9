using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting.Tests;

/// <summary>
/// The options records and the hosting settings share one set of rules (<see cref="OptionRules"/>,
/// <see cref="TimeLimits"/>): the same bad value is rejected by both, with the same message, the hosting one under the
/// full configuration key.
/// </summary>
public sealed class SharedRulesTests
{
    private static readonly PoolOptions<int> Valid = new() { Name = "a", Init = i => i };

    public static TheoryData<string, string> Cases => new()
    {
        { "Workers", "0" },
        { "MaxWorkers", "0" },
        { "Backlog", "0" },
        { "Prefetch", "-3" },
        { "JobTimeout", "00:00:00" },
        { "JobTimeout", "-00:00:05" },
        { "Dispatcher", "   " },
        { "SupervisorDispatcher", " " },
        { "Panic:MaxRestarts", "-1" },
        { "Panic:JobRetries", "-2" },
        { "Panic:Window", "00:00:00" },
        { "Panic:InitialBackoff", "-00:00:01" },
        { "Panic:MaxBackoff", "60.00:00:00" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Cases))]
    public async Task TheSameBadValue_IsRejectedByTheRecordAndByTheHost_WithTheSameMessage(string key, string value)
    {
        var record = Assert.IsAssignableFrom<ArgumentException>(Record.Exception(() => ValidateRecord(key, value)));
        var recordMessage = record.Message.Split(" (Parameter", 2)[0].Split(Environment.NewLine)[0];

        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools.BindConfiguration().AddPool<int>("a", o => o with { Init = i => i })),
            new Dictionary<string, string?> { ["Actorpool:Pools:a:" + key] = value });
        var hosted = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        var expected = "Actorpool:Pools:a:" + key;
        var failure = Assert.Single(hosted.Failures, f => f.StartsWith(expected + " ", StringComparison.Ordinal));
        Assert.EndsWith(recordMessage, failure, StringComparison.OrdinalIgnoreCase); // the key prefix apart, one message
        Assert.Equal(failure[..expected.Length].Split(':')[^1], recordMessage.Split(' ')[0], ignoreCase: true);
    }

    private static void ValidateRecord(string key, string value)
    {
        var budget = RestartBudget.Default;
        switch (key)
        {
            case "Workers": (Valid with { Workers = int.Parse(value) }).Validate(); break;
            case "MaxWorkers": (Valid with { MaxWorkers = int.Parse(value) }).Validate(); break;
            case "Backlog": (Valid with { Backlog = int.Parse(value) }).Validate(); break;
            case "Prefetch": (Valid with { Prefetch = int.Parse(value) }).Validate(); break;
            case "JobTimeout": (Valid with { JobTimeout = TimeSpan.Parse(value) }).Validate(); break;
            case "Dispatcher": (Valid with { Dispatcher = value }).Validate(); break;
            case "SupervisorDispatcher": (Valid with { SupervisorDispatcher = value }).Validate(); break;
            case "Panic:MaxRestarts": _ = new RestartBudget(int.Parse(value), budget.Window); break;
            case "Panic:JobRetries": _ = PanicPolicy.Respawn().WithJobRetries(int.Parse(value)); break;
            case "Panic:Window": _ = new RestartBudget(budget.MaxRestarts, TimeSpan.Parse(value)); break;
            case "Panic:InitialBackoff": _ = budget with { InitialBackoff = TimeSpan.Parse(value) }; break;
            case "Panic:MaxBackoff": _ = budget with { MaxBackoff = TimeSpan.Parse(value) }; break;
            default: throw new ArgumentException($"no record rule for {key}");
        }
    }
}
