using Actorpool.Actors.Jobs;
using Microsoft.Extensions.Logging;

namespace Actorpool.Examples.HostedPool;

/// <summary>Counts every submitted job and its one outcome, printing a line for each; a failure is also logged as one warning.</summary>
public sealed partial class JobLedger(ILogger<JobLedger> logger)
{
    // Replaced on every outcome; the old one is completed so that a waiter re-checks Pending.
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _submitted;
    private long _completed;
    private long _failed;
    private long _rejected;
    private long _cancelled;

    /// <summary>Jobs submitted whose outcome has not arrived yet.</summary>
    public long Pending => Interlocked.Read(ref _submitted) - Interlocked.Read(ref _completed) - Interlocked.Read(ref _failed)
        - Interlocked.Read(ref _rejected) - Interlocked.Read(ref _cancelled);

    public void Track<T>(int jobId, Task<T> job, Action settled)
    {
        Interlocked.Increment(ref _submitted);
        Console.WriteLine($"submitted {jobId}");
        job.ContinueWith(
            t =>
            {
                var outcome = t.Exception?.InnerException switch
                {
                    null when t.IsCanceled => Count(ref _cancelled, "cancelled"),
                    null => Count(ref _completed, "completed"),
                    JobRejectedException => Count(ref _rejected, "rejected"),
                    OperationCanceledException => Count(ref _cancelled, "cancelled"),
                    var failure => Failed(jobId, failure),
                };
                Console.WriteLine($"outcome {jobId} {outcome}");
                settled();
                Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits until every submitted job has its outcome, at most <paramref name="timeout"/>.</summary>
    public async Task WhenSettledAsync(TimeSpan timeout)
    {
        var deadline = Task.Delay(timeout);
        while (true)
        {
            var changed = Volatile.Read(ref _changed);
            if (Pending == 0 || await Task.WhenAny(changed.Task, deadline) == deadline)
            {
                return;
            }
        }
    }

    public string Summary() =>
        $"summary submitted={_submitted} completed={_completed} failed={_failed} rejected={_rejected} cancelled={_cancelled} pending={Pending}";

    private string Failed(int jobId, Exception failure)
    {
        LogJobFailed(jobId, failure.GetType().Name, failure.Message);
        return Count(ref _failed, "failed");
    }

    // Type and message only: a job failure is an outcome the feeder counts, not a crash of the app.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogJobFailed(int jobId, string exceptionType, string exceptionMessage);

    private static string Count(ref long counter, string name)
    {
        Interlocked.Increment(ref counter);
        return name;
    }
}
