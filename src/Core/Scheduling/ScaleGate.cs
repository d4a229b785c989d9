namespace Actorpool;

/// <summary>
/// Caches the answer of a pool's scale function so hot paths pay a timestamp read, not a user call: the
/// function runs at most once per cache period (whichever thread notices first refreshes; a duplicate
/// refresh under a race is harmless).
/// </summary>
internal sealed class ScaleGate
{
    private readonly Func<int>? _scale;
    private readonly TimeProvider _time;
    private readonly long _periodTicks;
    private readonly Action<Exception> _onError;
    private int _cached;          // written by any refreshing thread; a torn read is impossible (int)
    private long _nextRefresh;    // timestamp after which the next reader refreshes

    internal ScaleGate(Func<int>? scale, TimeProvider time, TimeSpan period, int threads, Action<Exception> onError)
    {
        _scale = scale;
        _time = time;
        _onError = onError;
        _periodTicks = (long)(period.TotalSeconds * time.TimestampFrequency);
        _cached = threads;
        _nextRefresh = long.MinValue;
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

            var now = _time.GetTimestamp();
            if (now >= Volatile.Read(ref _nextRefresh))
            {
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

            return Volatile.Read(ref _cached);
        }
    }

    internal bool Allows(int workerIndex) => _scale is null || workerIndex < Current;
}
