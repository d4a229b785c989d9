using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>
/// <see cref="PoolOptions{TState}.MeterFactory"/> with real meters and a real <see cref="MeterListener"/>: pools given a
/// factory report to the "Actorpool" meter it makes, sharing its gauges; pools without one report to the process-wide
/// meter. Listeners are process-wide, so the process-wide side is filtered by this spec's pool names.
/// </summary>
public sealed class MeterFactorySpecs : PoolSpec
{
    [Fact(Timeout = 30_000)]
    public async Task PoolsGivenAMeterFactory_ReportToItsMeter_AndAPoolWithoutOne_ToTheProcessWideMeter()
    {
        using var factory = new OwnMeterFactory();
        var byFactory = new ConcurrentDictionary<(string Instrument, string Pool), long>();
        var processWide = new ConcurrentDictionary<(string Instrument, string Pool), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PoolMetrics.MeterName && (ReferenceEquals(instrument.Meter.Scope, factory) || ReferenceEquals(instrument.Meter, PoolMetrics.Meter)))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, bool sum)
        {
            var pool = "(none)";
            foreach (var tag in tags)
            {
                pool = tag.Key == "pool" ? tag.Value as string ?? pool : pool;
            }

            if (pool.StartsWith("meter-factory-", StringComparison.Ordinal))
            {
                var seen = ReferenceEquals(instrument.Meter, PoolMetrics.Meter) ? processWide : byFactory;
                seen.AddOrUpdate((instrument.Name, pool), value, (_, old) => sum ? old + value : value);
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags, sum: true));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags, sum: false));
        listener.Start();
        var one = Sys.SpawnPool(new PoolOptions<int> { Name = "meter-factory-one", Workers = 1, Init = i => i, MeterFactory = factory });
        var two = Sys.SpawnPool(new PoolOptions<int> { Name = "meter-factory-two", Workers = 2, Init = i => i, MeterFactory = factory });
        var plain = Sys.SpawnPool(new PoolOptions<int> { Name = "meter-factory-none", Workers = 1, Init = i => i });

        await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(i => new[] { one.RunAsync(s => s + i), two.RunAsync(s => s + i), plain.RunAsync(s => s + i) })).WaitAsync(Watchdog);
        Assert.IsType<JobCompleted>(await one.Ref.Ask<object>(Submit.Run<int>(7, s => s), Watchdog));
        listener.RecordObservableInstruments();

        Assert.Equal(4, byFactory[("actorpool.jobs.completed", "meter-factory-one")]);
        Assert.Equal(3, byFactory[("actorpool.jobs.completed", "meter-factory-two")]);
        Assert.Equal(1, byFactory[("actorpool.pool.workers", "meter-factory-one")]);
        Assert.Equal(2, byFactory[("actorpool.pool.workers", "meter-factory-two")]);
        Assert.Equal(3, processWide[("actorpool.jobs.completed", "meter-factory-none")]);
        Assert.Equal(1, processWide[("actorpool.pool.workers", "meter-factory-none")]);
        Assert.DoesNotContain(byFactory.Keys, k => k.Pool == "meter-factory-none");
        Assert.DoesNotContain(processWide.Keys, k => k.Pool != "meter-factory-none");
    }

    /// <summary>An <see cref="IMeterFactory"/> as a host's: one meter per name, scoped to the factory, disposed with it.</summary>
    private sealed class OwnMeterFactory : IMeterFactory
    {
        private readonly ConcurrentDictionary<string, Meter> _meters = new();

        public Meter Create(MeterOptions options) =>
            _meters.GetOrAdd(options.Name, name => new Meter(new MeterOptions(name) { Scope = this }));

        public void Dispose()
        {
            foreach (var meter in _meters.Values)
            {
                meter.Dispose();
            }
        }
    }
}
