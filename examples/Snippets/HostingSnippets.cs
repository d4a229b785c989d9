using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actorpool.Examples.Snippets;

/// <summary>README "Hosting": a pool registered with AddActorpool, bound to configuration, with a health check.</summary>
public static class HostingSnippets
{
    /// <summary>Registers the snippet's services in <paramref name="builder"/>.</summary>
    public static HostApplicationBuilder Configure(HostApplicationBuilder builder)
    {
        #region hosting
        builder.Services.AddActorpool(pools => pools
            .BindConfiguration()                                  // the "Actorpool" section; wins over code
            .AddPool<Thumbnailer>("thumbnails", o => o with { Init = i => new Thumbnailer(i) }));
        builder.Services.AddHealthChecks().AddActorpool();
        #endregion
        return builder;
    }
}

/// <summary>Stands in for a pool's per-worker state.</summary>
public sealed class Thumbnailer(int index)
{
    /// <summary>Renders item <paramref name="id"/>.</summary>
    public string Render(int id) => $"thumbnail {id} by {index}";
}
