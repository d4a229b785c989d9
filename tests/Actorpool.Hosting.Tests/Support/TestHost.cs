using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actorpool.Hosting.Tests.Support;

/// <summary>Builds real hosts for the tests: empty builder, in-memory configuration, a capturing logger.</summary>
internal static class TestHost
{
    public static IHost Build(
        Action<IServiceCollection> configure,
        IDictionary<string, string?>? configuration = null,
        CapturingLoggerProvider? logs = null,
        TimeSpan? shutdownTimeout = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10));
        configure(builder.Services);
        return builder.Build();
    }

    public static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);
}
