using Actorpool.Actors.Messaging;
using Actorpool.Dynamic;
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

    /// <summary>Registers a dynamic pool and an up/down pool beside the actor pool in <paramref name="builder"/>.</summary>
    public static HostApplicationBuilder ConfigureKinds(HostApplicationBuilder builder)
    {
        #region hosting-kinds
        builder.Services.AddActorpool(pools => pools
            .AddDynamicPool("pollers", _ => DynamicSystem.FunctionWorker(i => () => Poll(i)).WithThreads(2))
            .AddUpDownPool<int, Result>("simulation", (_, pool) =>
            {
                for (var i = 0; i < 4; i++) pool.AddWorker(async (int tick, UpLink<Result> up) => await up.SendUpAsync(new(tick, tick * 2)));
            }));
        // inject IDynamicPool<Func<Decision>> / IUpDownPool<int, Result>; on stop, IUpDownPool.Stopped holds what nobody received
        #endregion
        return builder;
    }

    private static Decision Poll(int worker)
    {
        Thread.Sleep(10 + worker);
        return Decision.Again;
    }
}

/// <summary>Stands in for a pool's per-worker state.</summary>
public sealed class Thumbnailer(int index)
{
    /// <summary>Renders item <paramref name="id"/>.</summary>
    public string Render(int id) => $"thumbnail {id} by {index}";
}
