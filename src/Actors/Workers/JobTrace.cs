using System.Diagnostics;
using System.Diagnostics.Metrics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;

namespace Actorpool.Actors.Workers;

/// <summary>
/// One job's trace on its worker: its <c>actorpool.job</c> activity (parented to the submitter's) and its timing. Costs
/// a listener check and a meter flag per job while nobody listens.
/// </summary>
internal readonly struct JobTrace
{
    // Only actor pools run jobs through JobTrace, so their histograms carry this kind tag beside the pool's name.
    private static readonly KeyValuePair<string, object?> Kind = new(PoolKinds.TagName, PoolKinds.Actor);

    private readonly Activity? _activity;
    private readonly long _startedAt;
    private readonly KeyValuePair<string, object?> _pool;
    private readonly Histogram<double>? _runTime; // the pool's meter's, while it measures

    private JobTrace(Activity? activity, long startedAt, KeyValuePair<string, object?> pool, Histogram<double>? runTime)
    {
        _activity = activity;
        _startedAt = startedAt;
        _pool = pool;
        _runTime = runTime;
    }

    /// <summary>The job's code starts on worker <paramref name="worker"/> of the pool tagged <paramref name="pool"/>.</summary>
    public static JobTrace Start(JobEnvelope job, KeyValuePair<string, object?> pool, int worker)
    {
#if ACTORPOOL_NO_TRACING
        return default; // built without tracing, for measurement (Directory.Build.props)
#else
        var instruments = job.Instruments;
        if (job.Observed is null && !instruments.RunTime.Enabled && !PoolMetrics.ActivitySource.HasListeners())
        {
            return default; // nobody listens: nothing to do per job
        }

        Activity? activity = null;
        if (PoolMetrics.ActivitySource.HasListeners())
        {
            activity = PoolMetrics.ActivitySource.StartActivity("actorpool.job", ActivityKind.Internal, job.Observed?.Caller?.Context ?? default);
            if (activity is not null)
            {
                activity.SetTag("actorpool.pool.name", pool.Value);
                activity.SetTag("actorpool.worker.index", worker);
                activity.SetTag("actorpool.job.id", job.Id);
            }
        }

        var now = 0L;
        if (job.Observed is { SubmittedAt: > 0 } observed && instruments.QueueWait.Enabled)
        {
            now = Stopwatch.GetTimestamp();
            instruments.QueueWait.Record(Stopwatch.GetElapsedTime(observed.SubmittedAt, now).TotalSeconds, pool, Kind);
        }

        var runTime = instruments.RunTime.Enabled ? instruments.RunTime : null;
        if (runTime is not null && now == 0)
        {
            now = Stopwatch.GetTimestamp();
        }

        return new JobTrace(activity, runTime is not null ? now : 0, pool, runTime);
#endif
    }

    /// <summary>
    /// The job's code went on asynchronously: its activity stays open (the code's continuations carry it), but the
    /// worker's thread must not keep it as current for whatever it runs next.
    /// </summary>
    public void Detach()
    {
        if (_activity is not null && Activity.Current == _activity)
        {
            Activity.Current = null;
        }
    }

    /// <summary>The job's code ended with <paramref name="outcome"/> (completed, failed, retried or cancelled).</summary>
    public void End(string outcome, Exception? failure = null)
    {
#if ACTORPOOL_NO_TRACING
        return;
#else
        if (_startedAt != 0)
        {
            _runTime!.Record(Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, _pool, Kind);
        }

        if (_activity is { } activity)
        {
            activity.SetTag("actorpool.job.outcome", outcome);
            if (failure is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, failure.Message);
                activity.SetTag("error.type", failure.GetType().FullName);
            }

            activity.Stop();
        }
#endif
    }
}
