using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actorpool.Reliability.Tests.BadInput;

/// <summary>
/// The hosting layer's configuration with wrong types and wrong values: a real host built with AddActorpool and
/// in-memory configuration must fail to start, with a message (the exception's or an inner one's) that names the
/// full configuration key and the bad value; the start never hangs.
/// </summary>
public sealed class HostingBadInputTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    [Theory(Timeout = 30_000)]
    // Wrong types: the binder cannot convert the text (top level, and inside a pool's section: bug 7, fixed).
    [InlineData("Pools:a:Workers", "many")]
    [InlineData("Pools:a:MinWorkers", "1.5")]
    [InlineData("Pools:a:MaxWorkers", "ten")]
    [InlineData("Pools:a:Backlog", "true")]
    [InlineData("Pools:a:Prefetch", "99999999999")]
    [InlineData("Pools:a:Panic:MaxRestarts", "lots")]
    [InlineData("Pools:a:Panic:Window", "soon")]
    [InlineData("Pools:a:Panic:InitialBackoff", "5 seconds")]
    [InlineData("Pools:a:Panic:MaxBackoff", "forever")]
    [InlineData("Pools:a:Panic:JobRetries", "-")]
    [InlineData("DrainTimeout", "later")]
    [InlineData("HealthRestartThreshold", "x")]
    [InlineData("HealthRestartWindow", "1 minute")]
    // Wrong values: the text converts but is out of range or not a name.
    [InlineData("Pools:a:Workers", "0")]
    [InlineData("Pools:a:Workers", "-4")]
    [InlineData("Pools:a:Backlog", "-1")]
    [InlineData("Pools:a:Prefetch", "0")]
    [InlineData("Pools:a:MaxWorkers", "0")]
    [InlineData("Pools:a:Panic:Kind", "Explode")]
    [InlineData("Pools:a:Panic:Kind", "7")]
    [InlineData("Pools:a:Panic:Window", "-00:00:01")]
    [InlineData("Pools:a:Panic:MaxBackoff", "-00:00:05")]
    [InlineData("DrainTimeout", "-00:00:01")]
    // Malformed HOCON that Akka.NET 1.5's parser loops on forever (a stray '}', '=' or ':' inside a list).
    [InlineData("Hocon", "a = [ 1 }")]
    [InlineData("Hocon", "a = [ = ]")]
    [InlineData("Hocon", "b { a = [ \"x\" } }")]
    public async Task WrongTypeOrValue_FailsHostStart_NamingTheKeyAndTheValue(string key, string value)
    {
        using var host = Build(key, value);

        var error = await Record.ExceptionAsync(() => host.StartAsync().WaitAsync(Watchdog));

        Assert.NotNull(error);
        Assert.IsNotType<TimeoutException>(error);
        var messages = string.Join(" | ", Expect.Chain(error).Select(e => $"{e.GetType().Name}: {e.Message}"));
        Assert.True(
            messages.Contains("Actorpool:" + key, StringComparison.Ordinal) && messages.Contains(value, StringComparison.Ordinal),
            $"Expected the failure to name 'Actorpool:{key}' and '{value}', got: {messages}");
    }

    private static IHost Build(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Actorpool:" + key] = value });
        builder.Services.AddActorpool(pools => pools
            .BindConfiguration()
            .AddPool<object>("a", options => options with { Init = _ => new object() }));
        return builder.Build();
    }

}
