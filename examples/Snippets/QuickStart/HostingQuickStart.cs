#region quick-hosting
using Actorpool.Hosting.Pools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
#endregion

namespace Actorpool.Examples.Snippets.QuickStart;

/// <summary>README quick start "Hosting": a pool in a generic Host, run from DI, drained when the host stops.</summary>
public static class HostingQuickStart
{
    /// <summary>Runs the snippet with <paramref name="args"/> as the host's command line; returns the rendered thumbnail.</summary>
    public static async Task<string> RunAsync(string[] args)
    {
        #region quick-hosting
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddActorpool(pools => pools
            .AddPool<Thumbnailer>("thumbnails", o => o with { Workers = 2, Init = i => new Thumbnailer(i) }));
        using var host = builder.Build();
        await host.StartAsync();                                        // creates the ActorSystem and starts the pool
        var thumbnails = host.Services.GetRequiredService<IPool<Thumbnailer>>();   // or inject IPool<Thumbnailer>
        var png = await thumbnails.RunAsync(t => t.Render(7));          // "thumbnail 7 by 0" (or by 1)
        await host.StopAsync();                                         // Ctrl-C does the same: every pool drains
        #endregion
        return png;
    }
}
