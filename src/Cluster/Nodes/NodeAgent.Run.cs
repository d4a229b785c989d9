using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Metrics;
using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Nodes;

// Running the jobs a submitter sent, and returning their outcomes.
internal sealed partial class NodeAgent<TState, TJob, TResult>
{
    private void Run(JobItem[] items, bool local)
    {
        if (!_byRef.TryGetValue(Sender, out var submitter))
        {
            // Not (or no longer) registered with this submitter: answer every job, so none waits for a node that forgot it.
            Sender.Send(new Results([.. items.Select(j => Cancelled(j.Sequence, $"node {_node} does not serve this submitter"))], 0), Self);
            return;
        }

        var (jobs, results) = (_jobs, _results);
        var handle = _options.Handle;
        var doneQueue = _doneQueue;
        var pool = _pool;
        var front = Sender;
        foreach (var item in items)
        {
            var cancel = new CancellationTokenSource();
            var previous = Activity.Current;
            var activity = StartActivity(item);
            var sequence = item.Sequence;
            var payload = item.Job;
            var job = item.Local;
            Task<ResultItem> task;
            try
            {
                task = local
                    ? _pool.RunAsync((state, token) => RunLocal(handle, state, sequence, (TJob)job!, token), cancel.Token, item.Timeout ?? _options.JobTimeout)
                    : _pool.RunAsync((state, token) => RunOne(jobs, results, handle, state, sequence, payload, token), cancel.Token, item.Timeout ?? _options.JobTimeout);
            }
            finally
            {
                Activity.Current = previous; // the job's activity travels with the job, not with this actor
            }

            submitter.Running[sequence] = new RunningJob(cancel, activity);
            task.ContinueWith(
                t => doneQueue.Post(new JobDone(front, Outcome(sequence, t, pool))),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private static async ValueTask<ResultItem> RunOne(PayloadCodec jobs, PayloadCodec results, Func<TState, TJob, CancellationToken, ValueTask<TResult>> handle, TState state, long sequence, Payload payload, CancellationToken token)
    {
        TJob job;
        try
        {
            job = (TJob)jobs.Read(payload)!;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Job {sequence} could not be deserialized as {typeof(TJob).FullName} (manifest '{payload.Manifest}'): {e.Message}", e);
        }

        var result = await handle(state, job, token).ConfigureAwait(false);
        return new ResultItem(sequence, ResultKind.Completed, results.Write(result), null, null, null);
    }

    private static async ValueTask<ResultItem> RunLocal(Func<TState, TJob, CancellationToken, ValueTask<TResult>> handle, TState state, long sequence, TJob job, CancellationToken token)
    {
        var result = await handle(state, job, token).ConfigureAwait(false);
        return new ResultItem(sequence, ResultKind.Completed, default, null, null, null, result, IsLocal: true);
    }

    private static ResultItem Outcome(long sequence, Task<ResultItem> task, PoolRef<TState> pool)
    {
        if (task.IsCompletedSuccessfully)
        {
            return task.Result;
        }

        var error = task.Exception?.GetBaseException();
        if (pool.KillCause is { } killed && (task.IsCanceled || error is JobCancelledException or OperationCanceledException))
        {
            // Cut off because this node's pool was killed by its panic policy, not by the caller: the node lost the job.
            return new ResultItem(sequence, ResultKind.Lost, default, killed.GetType().FullName, killed.Message, null);
        }

        if (task.IsCanceled || error is JobCancelledException or OperationCanceledException)
        {
            return Cancelled(sequence, error?.Message ?? "the job was cancelled");
        }

        if (error is JobRejectedException)
        {
            // The node's pool refused it (it is stopping with its node): the job never started here.
            return new ResultItem(sequence, ResultKind.HandedBack, default, error.GetType().FullName, error.Message, null);
        }

        return new ResultItem(sequence, ResultKind.Failed, default, error?.GetType().FullName, error?.Message, error?.StackTrace);
    }

    private static ResultItem Cancelled(long sequence, string why) => new(sequence, ResultKind.Cancelled, default, typeof(JobCancelledException).FullName, why, null);

    private Activity? StartActivity(JobItem item)
    {
        if (item.TraceParent is null || !PoolMetrics.ActivitySource.HasListeners() || !ActivityContext.TryParse(item.TraceParent, null, out var parent))
        {
            return null;
        }

        var activity = PoolMetrics.ActivitySource.StartActivity("actorpool.cluster.job", ActivityKind.Consumer, parent);
        activity?.SetTag("actorpool.pool.name", _options.Name);
        activity?.SetTag("actorpool.node", _node);
        activity?.SetTag("actorpool.job.sequence", item.Sequence);
        return activity;
    }

    private void Done(JobDone done)
    {
        if (!_byRef.TryGetValue(done.Front, out var submitter) || !submitter.Running.Remove(done.Result.Sequence, out var running))
        {
            return; // its submitter is gone: nobody waits for this outcome
        }

        running.Finish();
        _executed++;
        if (done.Result.Kind == ResultKind.Failed)
        {
            _failed++;
        }

        submitter.Results.Add(done.Result);
    }

    /// <summary>
    /// Sends each submitter the outcomes gathered since the last flush, with as much new credit (none while leaving).
    /// While a submitter's outcomes stream (its last batch left less than <see cref="StreamWindowTicks"/> ago) and more of
    /// its jobs run here, fewer than <c>_holdBatch</c> of them wait for the next flush, at most <see cref="HoldLimit"/>:
    /// tiny jobs ending one by one are returned in batches instead of one message each. <paramref name="force"/> sends all.
    /// </summary>
    private void Flush(bool force = false)
    {
        _doneQueue.Rearm(); // before draining: an outcome queued after this point sends a new FlushResults
        while (_doneQueue.TryTake(out var done))
        {
            Done(done);
        }

        var now = Stopwatch.GetTimestamp();
        var held = false;
        foreach (var submitter in _submitters.Values)
        {
            if (submitter.Results.Count > 0 && submitter.Ref is { } front)
            {
                if (!force && !_leaving && submitter.Results.Count < _holdBatch && submitter.Running.Count > 0 && now - submitter.LastSent < StreamWindowTicks)
                {
                    held = true;
                    continue;
                }

                var credit = _leaving ? 0 : submitter.Results.Count;
                if (front.Path.Address.HasLocalScope)
                {
                    front.Tell(new LocalResults([.. submitter.Results], credit), Self);
                }
                else
                {
                    front.Send(new Results([.. submitter.Results], credit), Self);
                }

                submitter.Results.Clear();
                submitter.LastSent = now;
            }
        }

        if (held && !_holdArmed)
        {
            _holdArmed = true;
            _holdTimer.Change(HoldLimit, Timeout.InfiniteTimeSpan);
        }

        CheckLeft();
    }

    /// <summary>A member's submitter as this agent knows it: its ref once it answered, and its jobs running here.</summary>
    private sealed class Submitter(Address address)
    {
        public Address Address { get; } = address;

        public IActorRef? Ref { get; set; }

        public Dictionary<long, RunningJob> Running { get; } = [];

        public List<ResultItem> Results { get; } = [];

        /// <summary>When its last batch of outcomes left (Stopwatch ticks).</summary>
        public long LastSent { get; set; }

        public void Cancel(IEnumerable<long> sequences)
        {
            foreach (var sequence in sequences)
            {
                if (Running.TryGetValue(sequence, out var running))
                {
                    running.Cancel();
                }
            }
        }

        /// <summary>Cancels every job running for this submitter and forgets them (their outcomes have nowhere to go).</summary>
        public void CancelAll()
        {
            foreach (var running in Running.Values)
            {
                running.Cancel();
                running.Finish();
            }

            Running.Clear();
            Results.Clear();
        }
    }

    private sealed class RunningJob(CancellationTokenSource cancel, Activity? activity)
    {
        public void Cancel()
        {
            try
            {
                cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // finished in the meantime
            }
        }

        public void Finish()
        {
            activity?.Stop();
            cancel.Dispose();
        }
    }
}
