namespace Actorpool;

/// <summary>
/// Caches the answer of a pool's scale function so hot paths pay neither a user call nor a clock read: the
/// clock is read on every 16th query only (a clock read costs over 100 ns on some virtual machines), and the
/// function runs at most once per cache period. Whichever thread notices first refreshes; a duplicate
/// refresh under a race is harmless.
/// </summary>
internal sealed class ScaleGate
{
    private readonly Func<int>? _scale;
    private readonly TimeProvider _time;
    private readonly long _periodTicks;
    private readonly Action<Exception> _onError;
    private int _cached;          // written by any refreshing thread; a torn read is impossible (int)
    private long _nextRefresh;    // timestamp after which the next reader refreshes
    private int _queries;         // racy query counter: lost increments only shift when the clock is read

    internal ScaleGate(Func<int>? scale, TimeProvider time, TimeSpan period, int threads, Action<Exception> onError)
    {
        _scale = scale;
        _time = time;
        _onError = onError;
        _periodTicks = (long)(period.TotalSeconds * time.TimestampFrequency);
        _cached = threads;
        _nextRefresh = long.MinValue;

        // Ask once now: otherwise a worker starting while another runs the first refresh could read the
        // placeholder (every thread admitted) instead of the scale's first answer.
        RefreshIfStale();
    }

    internal bool IsGated => _scale is not null;

    /// <summary>How many workers may run now (lowest indices first).</summary>
    internal int Current
    {
        get
        {
            if (_scale is null)
            {
                return int.MaxValue;
            }

            if ((_queries++ & 15) == 0)
            {
                RefreshIfStale();
            }

            return Volatile.Read(ref _cached);
        }
    }

    /// <summary>Reads the clock now and asks the scale function if the cached answer has expired.</summary>
    internal void RefreshIfStale()
    {
        if (_scale is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextRefresh))
        {
            return;
        }

        Volatile.Write(ref _nextRefresh, now + _periodTicks);
        try
        {
            Volatile.Write(ref _cached, Math.Max(0, _scale()));
        }
        catch (Exception ex)
        {
            _onError(ex); // keep the last answer; a throwing scale function must not kill a worker
        }
    }

    internal bool Allows(int workerIndex) => _scale is null || workerIndex < Current;
}
