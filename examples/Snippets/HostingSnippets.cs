using Actorpool.Hosting;
using Akka.Hosting;
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

    /// <summary>README "Hosting" with Akka.Hosting: the pools run on the system AddAkka owns, whatever the order.</summary>
    public static HostApplicationBuilder ConfigureWithAkkaHosting(HostApplicationBuilder builder)
    {
        #region hosting-akka
        builder.Services.AddActorpool(pools => pools
            .AddPool<Thumbnailer>("thumbnails", o => o with { Init = i => new Thumbnailer(i) })
            .AddPool<Thumbnailer, PreviewPool>("previews", o => o with { Init = i => new Thumbnailer(i), Workers = 1 }));
        builder.Services.AddAkka("app", akka => akka
            .WithActorpool());                                    // dispatcher, Akka logs to ILogger, drain phase
        // Either order of AddAkka and AddActorpool: the pools drain before the system shuts down. In the ActorRegistry:
        // registry.Get<IPool<Thumbnailer>>() (the first pool of a state type), registry.Get<PreviewPool>() (its own key).
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

/// <summary>The ActorRegistry key of the "previews" pool (Akka.Hosting keys actors by type).</summary>
public sealed class PreviewPool;

/// <summary>Stands in for a pool's per-worker state.</summary>
public sealed class Thumbnailer(int index)
{
    /// <summary>Renders item <paramref name="id"/>.</summary>
    public string Render(int id) => $"thumbnail {id} by {index}";
}
