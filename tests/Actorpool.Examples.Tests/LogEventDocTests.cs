using System.Reflection;
using Actorpool.Actors.Pools;
using Actorpool.Hosting;
using Microsoft.Extensions.Logging;

namespace Actorpool.Examples.Tests;

/// <summary>docs/configuration.md's "Log events" table against the code: every event id and name, none extra, none reused.</summary>
public class LogEventDocTests
{
    [Fact]
    public void LogEventTable_ListsExactlyTheEventsTheCodeWrites_WithUniqueIds()
    {
        var documented = ConfigurationDocTests.Section(RepositoryFiles.Read("docs/configuration.md"), "Log events")
            .Where(l => l.StartsWith("| 1", StringComparison.Ordinal) || l.StartsWith("| 2", StringComparison.Ordinal))
            .Select(l => l.Split('|'))
            .Select(cells => $"{cells[1].Trim()} {cells[2].Trim().Trim('`')}")
            .ToList();

        var code = HostingEvents().Concat(PoolEvents()).ToList();

        Assert.NotEmpty(code);
        Assert.Equal(code.Count, code.Select(e => e.Split(' ')[0]).Distinct().Count());
        Assert.Equal(code.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    // The [LoggerMessage] methods of the hosting layer.
    private static IEnumerable<string> HostingEvents() =>
        typeof(ActorpoolOptions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => $"{a.EventId} {a.EventName}");

    // The pools' events (PoolLog's static PoolLogEvent fields), which the bridge turns into EventIds.
    private static IEnumerable<string> PoolEvents()
    {
        var poolLog = typeof(PoolOptions<>).Assembly.GetType("Actorpool.Actors.Pools.PoolLog", throwOnError: true)!;
        foreach (var field in poolLog.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Where(f => f.FieldType.Name == "PoolLogEvent"))
        {
            var logEvent = field.GetValue(null)!;
            var type = logEvent.GetType();
            yield return $"{type.GetProperty("Id")!.GetValue(logEvent)} {type.GetProperty("Name")!.GetValue(logEvent)}";
        }
    }
}
