using Actorpool.Actors.Pools;
using Actorpool.Hosting.Configuration;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// A pool of any kind registered with <see cref="IActorpoolBuilder.AddPool(string, string, Func{IServiceProvider, ActorSystem, CancellationToken, Task{IManagedPool}})"/>:
/// its start callback builds and configures it, so configuration has no keys for it.
/// </summary>
internal sealed class HostedManagedPool(string name, string kind, Func<IServiceProvider, ActorSystem, CancellationToken, Task<IManagedPool>> start)
    : HostedPoolBase(name)
{
    public override string Kind { get; } = kind;

    public override Type HandleType => typeof(IManagedPool);

    public override IReadOnlyList<string> SettingNames => [];

    public override void CheckOptions(IServiceProvider services, PoolSettings? settings)
    {
    }

    protected override async Task<IManagedPool> StartCoreAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken)
    {
        var pool = CheckStarted(await start(services, system, cancellationToken).ConfigureAwait(false));
        if (!string.Equals(pool.Kind, Kind, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Pool '{Name}': the start callback returned a pool of kind '{pool.Kind}', registered as kind '{Kind}'.");
        }

        return pool;
    }
}
