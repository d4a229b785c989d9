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
    private const string CancelledBySubmitter = "cancelled by its submitter";

    private void Run(JobItem[] items, bool local)
    {
        if (!_byRef.TryGetValue(Sender, out var submitter))
        {
            // Not (or no longer) registered with this submitter: answer every job, so none waits for a node that forgot it.
            Sender.Send(new Results([.. items.Select(j => Cancelled(j.Sequence, $"node {_node} does not serve this submitter"))], 0), Self);
            return;
        }

        var handle = _options.Handle;
        var sink = submitter.Sink!;
        foreach (var item in items)
        {
            var previous = Activity.Current;
            var activity = StartActivity(item);
            JobEnvelope? running;
            ResultItem failed;
            try
            {
                running = Submit(item, local, handle, sink, out failed);
            }
            finally
            {
                Activity.Current = previous; // the job's activity travels with the job, not with this actor
            }

            if (running is null)
            {
                activity?.Stop();
                activity = null;
                _doneQueue.Post(new JobDone(Sender, failed));
            }

            submitter.Running[item.Sequence] = new RunningJob(running, activity);
        }
    }

    /// <summary>
    /// Hands one job to this node's pool: null, with the job's failed outcome, when it cannot be read, is not the type
    /// the handler takes, or carries a time limit the pool refuses (a submitter checks that too).
    /// </summary>
    private JobEnvelope? Submit(JobItem item, bool local, Func<TState, TJob, CancellationToken, ValueTask<TResult>> handle, OutcomeSink sink, out ResultItem failed)
    {
        var job = item.Local;
        if ((!local && !TryRead(item.Sequence, item.Job, out job, out failed)) || !IsJob(item.Sequence, job, out failed))
        {
            return null;
        }

        try
        {
            return _pool.RunWithSink(RunJob, (handle, (TJob)job!), sink, item.Sequence, item.Timeout ?? _options.JobTimeout);
        }
        catch (ArgumentException e)
        {
            failed = new ResultItem(item.Sequence, ResultKind.Failed, default, e.GetType().FullName, e.Message, null);
            return null;
        }
    }

    /// <summary>A job's code on its worker: the handler on the job (one delegate for every job: no closure per job).</summary>
    private static readonly Func<TState, (Func<TState, TJob, CancellationToken, ValueTask<TResult>> Handle, TJob Job), CancellationToken, ValueTask<TResult>> RunJob =
        static (state, arg, token) => arg.Handle(state, arg.Job, token);

    /// <summary>
    /// Reads a job sent from another node, on this actor's thread rather than a worker's: a worker holds only the
    /// job's own code (the skewed-work benchmark's workers spent more time reading jobs and writing results than
    /// running the tiny ones). False, with the job's failed outcome, when it cannot be read.
    /// </summary>
    private bool TryRead(long sequence, Payload payload, out object? job, out ResultItem failed)
    {
        try
        {
            job = _jobs.Read(payload);
            failed = default;
            return true;
        }
        catch (Exception e)
        {
            job = null;
            failed = new ResultItem(sequence, ResultKind.Failed, default, typeof(InvalidOperationException).FullName,
                $"Job {sequence} could not be deserialized as {typeof(TJob).FullName} (manifest '{payload.Manifest}'): {e.GetType().Name}: {e.Message}", e.StackTrace);
            return false;
        }
    }

    /// <summary>False, with the job's failed outcome, when a job message is not of the type the handler takes (a message submit takes any object).</summary>
    private static bool IsJob(long sequence, object? job, out ResultItem failed)
    {
        failed = job is TJob ? default : new ResultItem(sequence, ResultKind.Failed, default, typeof(InvalidCastException).FullName,
            $"Job {sequence} is a {job?.GetType().FullName ?? "null"}, not the {typeof(TJob).FullName} the pool's handler takes.", null);
        return job is TJob;
    }

    /// <summary>Writes a completed job's result for its submitter on another node; a result that cannot be written fails the job, naming its type.</summary>
    private ResultItem Written(ResultItem result)
    {
        try
        {
            return result with { Value = _results.Write(result.Local), Local = null };
        }
        catch (Exception e)
        {
            return new ResultItem(result.Sequence, ResultKind.Failed, default, e.GetType().FullName,
                $"The result of job {result.Sequence} ({result.Local?.GetType().FullName}) could not be serialized to return to its submitter: {e.Message}", e.StackTrace);
        }
    }

    /// <summary>A job's outcome when it did not complete: how its submitter should take it.</summary>
    private static ResultItem Outcome(long sequence, Exception error, PoolRef<TState> pool)
    {
        if (pool.KillCause is { } killed && error is JobCancelledException or OperationCanceledException)
        {
            // Cut off because this node's pool was killed by its panic policy, not by the caller: the node lost the job.
            return new ResultItem(sequence, ResultKind.Lost, default, killed.GetType().FullName, killed.Message, null);
        }

        if (error is JobCancelledException or OperationCanceledException)
        {
            return Cancelled(sequence, error.Message);
        }

        if (error is JobRejectedException)
        {
            // The node's pool refused it (it is stopping with its node): the job never started here.
            return new ResultItem(sequence, ResultKind.HandedBack, default, error.GetType().FullName, error.Message, null);
        }

        return new ResultItem(sequence, ResultKind.Failed, default, error.GetType().FullName, error.Message, error.StackTrace);
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
        var result = done.Result is { Kind: ResultKind.Completed, IsLocal: false, Value.IsWritten: false } ? Written(done.Result) : done.Result;
        _executed++;
        if (result.Kind == ResultKind.Failed)
        {
            _failed++;
        }

        submitter.Results.Add(result);
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
        var held = 0; // the most outcomes held back for one submitter
        foreach (var submitter in _submitters.Values)
        {
            if (submitter.Results.Count > 0 && submitter.Ref is { } front)
            {
                if (!force && !_leaving && submitter.Results.Count < _holdBatch && submitter.Running.Count > 0 && now - submitter.LastSent < StreamWindowTicks)
                {
                    held = Math.Max(held, submitter.Results.Count);
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

        if (held > 0 && !_holdArmed)
        {
            _holdArmed = true;
            _holdTimer.Change(HoldLimit, Timeout.InfiniteTimeSpan);
        }

        // While outcomes are held back, the jobs ending next wake this actor only once they complete a batch (or the
        // hold timer fires): not once per job, which cost a mailbox run and a thread-pool dispatch per tiny job.
        _doneQueue.WakeAt(held > 0 ? _holdBatch - held : 1);

        CheckLeft();
    }

    /// <summary>A member's submitter as this agent knows it: its ref once it answered, and its jobs running here.</summary>
    private sealed class Submitter(Address address)
    {
        public Address Address { get; } = address;

        public IActorRef? Ref { get; set; }

        /// <summary>Where its jobs report their outcomes; set with <see cref="Ref"/>.</summary>
        public OutcomeSink? Sink { get; set; }

        public Dictionary<long, RunningJob> Running { get; } = [];

        public List<ResultItem> Results { get; } = [];

        /// <summary>When its last batch of outcomes left (Stopwatch ticks).</summary>
        public long LastSent { get; set; }

        public void Cancel(IEnumerable<long> sequences, IActorRef pool)
        {
            foreach (var sequence in sequences)
            {
                if (Running.TryGetValue(sequence, out var running))
                {
                    running.Cancel(pool);
                }
            }
        }

        /// <summary>Cancels every job running for this submitter and forgets them (their outcomes have nowhere to go).</summary>
        public void CancelAll(IActorRef pool)
        {
            foreach (var running in Running.Values)
            {
                running.Cancel(pool);
                running.Finish();
            }

            Running.Clear();
            Results.Clear();
        }
    }

    /// <summary>A job running here for a submitter: cancelled through the job itself (null: it never reached the pool).</summary>
    private sealed class RunningJob(JobEnvelope? job, Activity? activity)
    {
        public void Cancel(IActorRef pool) => job?.TryCancel(CancelledBySubmitter, null, pool, evenIfRunning: true);

        public void Finish() => activity?.Stop();
    }

    /// <summary>
    /// Where the jobs of one submitter report their outcomes, from whichever thread settles them: queued for this
    /// agent as they are (a result stays an object until <see cref="Done"/> writes it for a submitter on another node).
    /// </summary>
    private sealed class OutcomeSink(IActorRef front, DoneQueue done, PoolRef<TState> pool) : IJobSink<TResult>
    {
        private readonly bool _local = front.Path.Address.HasLocalScope;

        public void Completed(long tag, TResult result) =>
            done.Post(new JobDone(front, new ResultItem(tag, ResultKind.Completed, default, null, null, null, result, IsLocal: _local)));

        public void Failed(long tag, Exception error) => done.Post(new JobDone(front, Outcome(tag, error, pool)));
    }
}
