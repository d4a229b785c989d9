using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Actorpool.Actors.Metrics;

namespace Actorpool.Hosting.Tests.Support;

/// <summary>
/// A real <see cref="MeterListener"/> on the "Actorpool" meters that pass a filter (a host's, by its meter's scope, or
/// the process-wide one): sums each counter per (instrument, pool, pool.kind), keeps each gauge's last value and counts each histogram's
/// measurements.
/// </summary>
internal sealed class ScopedMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();

    public ScopedMeterListener(Func<Meter, bool> accepts, Func<Instrument, bool>? instruments = null)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PoolMetrics.MeterName && accepts(instrument.Meter) && instruments?.Invoke(instrument) != false)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            Measured.AddOrUpdate(Key(instrument, tags), value, (_, sum) => sum + value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            Measured[Key(instrument, tags)] = value);
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
            Measured.AddOrUpdate(Key(instrument, tags), 1, (_, count) => count + 1));
        _listener.Start();
    }

    /// <summary>Counter sums, gauge values and histogram counts by (instrument, pool, kind); a measurement without a kind tag has kind "(none)".</summary>
    public ConcurrentDictionary<(string Instrument, string Pool, string Kind), long> Measured { get; } = new();

    /// <summary>Asks the observable gauges for their values now.</summary>
    public void ObserveGauges() => _listener.RecordObservableInstruments();

    /// <summary>What was measured of <paramref name="instrument"/> for <paramref name="pool"/> of <paramref name="kind"/>; null when nothing was.</summary>
    public long? Of(string instrument, string pool, string kind) =>
        Measured.TryGetValue((instrument, pool, kind), out var value) ? value : null;

    public void Dispose() => _listener.Dispose();

    private static (string, string, string) Key(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string pool = "(none)", kind = "(none)";
        foreach (var tag in tags)
        {
            pool = tag.Key == "pool" ? tag.Value as string ?? pool : pool;
            kind = tag.Key == PoolKinds.TagName ? tag.Value as string ?? kind : kind;
        }

        return (instrument.Name, pool, kind);
    }
}
