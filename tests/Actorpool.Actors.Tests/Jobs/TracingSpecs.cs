using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Tests.Jobs;

/// <summary>
/// A job's trace across the pool with a real <see cref="ActivityListener"/> and <see cref="MeterListener"/>: the job's
/// activity is the child of the caller's, runs as the current activity of the job's code (across its awaits), carries
/// the pool, worker and outcome, and its queue wait and run time are recorded. Listeners are process-wide, so
/// everything is filtered by this spec's pool names.
/// </summary>
[Collection(ProcessWideListeners.Name)]
public sealed class TracingSpecs : PoolSpec
{
    private static readonly ActivitySource Caller = new("Actorpool.Tests.Caller");

    [Fact(Timeout = 30_000)]
    public async Task AJobsActivity_IsTheChildOfTheCallers_AndCarriesPoolWorkerAndOutcome()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PoolMetrics.MeterName or "Actorpool.Tests.Caller",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("actorpool.pool.name") is "traced")
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "traced", Workers = 2, Init = i => i });

        ActivityTraceId inJobTrace;
        ActivitySpanId callerSpan;
        string? seenAfterAwait;
        using (var request = Caller.StartActivity("request")!)
        {
            callerSpan = request.SpanId;
            inJobTrace = await pool.RunAsync(async (worker, token) =>
            {
                var before = Activity.Current!;
                await Task.Delay(1, token);
                Assert.Same(before, Activity.Current); // the job's activity flows across its awaits
                return before.TraceId;
            }).WaitAsync(Watchdog);
            seenAfterAwait = Activity.Current?.OperationName;
            await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(int (_) => throw new InvalidOperationException("traced failure"))).WaitAsync(Watchdog);
        }

        Assert.Equal("request", seenAfterAwait); // the caller's own activity is untouched
        // A job's activity stops on its worker just after the outcome is handed over: the caller may see the outcome first.
        await AwaitConditionAsync(() => Task.FromResult(stopped.Count >= 2), Watchdog);
        Assert.Equal(2, stopped.Count);
        var completed = stopped.Single(a => (string?)a.GetTagItem("actorpool.job.outcome") == "completed");
        var failed = stopped.Single(a => (string?)a.GetTagItem("actorpool.job.outcome") == "failed");
        Assert.Equal(inJobTrace, completed.TraceId);
        Assert.All(stopped, a =>
        {
            Assert.Equal("actorpool.job", a.OperationName);
            Assert.Equal(callerSpan, a.ParentSpanId);
            Assert.InRange((int)a.GetTagItem("actorpool.worker.index")!, 0, 1);
        });
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.GetTagItem("error.type"));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task QueueWaitAndRunTime_AreRecordedInSeconds_ForThePool()
    {
        var recorded = new ConcurrentQueue<(string Instrument, double Seconds)>();
        var ranRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PoolMetrics.MeterName && instrument.Name is "actorpool.job.queue_wait" or "actorpool.job.run_time")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "pool", Value: "timed" })
                {
                    recorded.Enqueue((instrument.Name, value));
                    if (instrument.Name == "actorpool.job.run_time")
                    {
                        ranRecorded.TrySetResult(); // recorded as the worker finishes with the job, just after its outcome
                    }
                }
            }
        });
        meters.Start();
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "timed", Workers = 1, Init = i => i });

        await pool.RunAsync(async (_, token) =>
        {
            await Task.Delay(30, token);
            return 0;
        }).WaitAsync(Watchdog);
        await ranRecorded.Task.WaitAsync(Watchdog);

        var runTime = Assert.Single(recorded, r => r.Instrument == "actorpool.job.run_time").Seconds;
        Assert.InRange(runTime, 0.025, 20); // the awaited delay is part of the run time
        Assert.InRange(Assert.Single(recorded, r => r.Instrument == "actorpool.job.queue_wait").Seconds, 0, 20);
        await AssertBalancedAsync(pool);
    }
}
