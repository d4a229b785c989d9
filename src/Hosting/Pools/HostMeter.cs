using System.Diagnostics.Metrics;
using Actorpool.Actors.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Pools;

/// <summary>The meter a host's pools without options of their own (dynamic and up/down pools) report to.</summary>
internal static class HostMeter
{
    /// <summary>
    /// The instruments of the "Actorpool" meter of the container's <see cref="IMeterFactory"/> (a generic host registers
    /// one), or of the process-wide meter when the container has none.
    /// </summary>
    public static PoolInstruments Instruments(IServiceProvider services) => PoolInstruments.For(services.GetService<IMeterFactory>());
}
