using System.Diagnostics;
using System.Diagnostics.Metrics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Cluster.Pools;
using Akka.Actor;
using static Actorpool.Cluster.Tests.ClusterPoolTestKit;

namespace Actorpool.Cluster.Tests;

/// <summary>What a caller sees of a cluster pool: results, failures, refusals, cancellation, traces and metrics.</summary>
public sealed class ClusterPoolApiSpecs
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    /// <summary>A job Newtonsoft.Json cannot write: reading a MemoryStream's ReadTimeout throws.</summary>
    public sealed record Unwritable(int Id, MemoryStream Stream);

    [Fact(Timeout = 120_000)]
    public async Task UnserializableJob_IsRejectedAtSubmit_NamingItsType()
    {
        await using var nodes = await ClusterNodes.StartAsync(1);
        var pool = nodes[0].SpawnClusterPool(new ClusterPoolOptions<int, object, string>
        {
            Node = new PoolOptions<int> { Name = "any", Workers = 1, Init = i => i },
            Handle = (_, job, _) => ValueTask.FromResult(job.ToString()!),
        });

        var error = await Assert.ThrowsAsync<JobRejectedException>(() => pool.RunAsync(new Unwritable(1, new MemoryStream())));
        Assert.Contains(typeof(Unwritable).FullName!, error.Message);

        var probe = new TaskCompletionSource<object>();
        var sender = nodes[0].ActorOf(Props.Create(() => new ReplyCatcher(probe)));
        pool.Ref.Tell(Submit.Message(7, new Unwritable(2, new MemoryStream())), sender);
        var rejected = Assert.IsType<JobRejected>(await probe.Task.WaitAsync(Watchdog));
        Assert.Equal(7, rejected.JobId);
        Assert.Contains(typeof(Unwritable).FullName!, rejected.Reason);

        var stats = await pool.GetClusterStatsAsync();
        AssertSettled(stats, 2);
        Assert.Equal(2, stats.Rejected);
    }

    /// <summary>A job whose type crosses nodes, but not with a stream in it.</summary>
    public sealed record Sometimes(int Id, MemoryStream? Stream);

    [Fact(Timeout = 120_000)]
    public async Task JobOfAProvenType_ThatCannotBeWrittenWhenItLeaves_IsRejectedNamingItsType()
    {
        await using var nodes = await ClusterNodes.StartAsync(2);
        ClusterPoolOptions<int, Sometimes, int> Definition(string? role) => new()
        {
            Node = new PoolOptions<int> { Name = "sometimes", Workers = 1, Init = i => i },
            Handle = (_, job, _) => ValueTask.FromResult(job.Id),
            Role = role,
        };

        var submitter = nodes[0].SpawnClusterPool(Definition("worker")); // no workers here: every job leaves the node
        nodes[1].SpawnClusterPool(Definition(null));
        await WaitForNodesAsync(submitter, 1);

        Assert.Equal(1, await submitter.RunAsync(new Sometimes(1, null)).WaitAsync(Watchdog)); // its type crossed: later ones are written as they leave
        var error = await Assert.ThrowsAsync<JobRejectedException>(() => submitter.RunAsync(new Sometimes(2, new MemoryStream())).WaitAsync(Watchdog));
        Assert.Contains(typeof(Sometimes).FullName!, error.Message);

        var probe = new TaskCompletionSource<object>();
        submitter.Ref.Tell(Submit.Message(3, new Sometimes(3, new MemoryStream())), nodes[0].ActorOf(Props.Create(() => new ReplyCatcher(probe))));
        var rejected = Assert.IsType<JobRejected>(await probe.Task.WaitAsync(Watchdog));
        Assert.Equal(3, rejected.JobId);
        Assert.Contains(typeof(Sometimes).FullName!, rejected.Reason);
        Assert.Equal(4, await submitter.RunAsync(new Sometimes(4, null)).WaitAsync(Watchdog));

        var stats = await submitter.GetClusterStatsAsync();
        AssertSettled(stats, 4);
        Assert.Equal(2, stats.Completed);
        Assert.Equal(2, stats.Rejected);
    }

    [Fact(Timeout = 120_000)]
    public async Task MessageApi_GivesTheSenderOneOutcome_AndRefusesClosures()
    {
        await using var nodes = await ClusterNodes.StartAsync(1);
        var pool = nodes[0].SpawnClusterPool(Definition(nodes[0]));
        await WaitForNodesAsync(pool, 1);

        var completed = new TaskCompletionSource<object>();
        pool.Ref.Tell(Submit.Message(41, new Work(41, 1)), nodes[0].ActorOf(Props.Create(() => new ReplyCatcher(completed))));
        var outcome = Assert.IsType<JobCompleted>(await completed.Task.WaitAsync(Watchdog));
        Assert.Equal(41, outcome.JobId);
        Assert.Equal(41, Assert.IsType<Ran>(outcome.Result).Id);

        var refused = new TaskCompletionSource<object>();
        pool.Ref.Tell(Submit.Run<NodeState, int>(42, _ => 1), nodes[0].ActorOf(Props.Create(() => new ReplyCatcher(refused))));
        var rejected = Assert.IsType<JobRejected>(await refused.Task.WaitAsync(Watchdog));
        Assert.Contains("closure", rejected.Reason);

        // A job message of another type than the pool's handler takes fails, naming both types, and the node goes on.
        var mistyped = new TaskCompletionSource<object>();
        pool.Ref.Tell(Submit.Message(43, "not a Work"), nodes[0].ActorOf(Props.Create(() => new ReplyCatcher(mistyped))));
        var failed = Assert.IsType<JobFailed>(await mistyped.Task.WaitAsync(Watchdog));
        Assert.Contains(typeof(string).FullName!, failed.Cause.Message);
        Assert.Contains(typeof(Work).FullName!, failed.Cause.Message);
        Assert.Equal(44, (await pool.RunAsync(new Work(44, 1)).WaitAsync(Watchdog)).Id);
    }

    [Fact(Timeout = 120_000)]
    public async Task FailedJob_ReachesTheCaller_WithTheRemoteTypeMessageAndNode()
    {
        await using var nodes = await ClusterNodes.StartAsync(2);
        var submitter = nodes[0].SpawnClusterPool(Definition(nodes[0], role: "worker"));
        nodes[1].SpawnClusterPool(Definition(nodes[1]) with { Role = null });
        await WaitForNodesAsync(submitter, 1);

        var error = await Assert.ThrowsAsync<RemoteJobException>(() => submitter.RunAsync(new Work(3, 1, Fail: true)).WaitAsync(Watchdog));
        Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteType);
        Assert.Contains("job 3 failed on purpose", error.Message);
        Assert.Equal(Address(nodes[1]), error.Node);
        var stats = await submitter.GetClusterStatsAsync();
        AssertSettled(stats, 1);
        Assert.Equal(1, stats.Failed);
    }

    [Fact(Timeout = 120_000)]
    public async Task ResultThatCannotCrossBack_FailsItsJob_NamingItsType_AndTheNextJobsStillRun()
    {
        await using var nodes = await ClusterNodes.StartAsync(2);
        ClusterPoolOptions<int, int, object> Definition() => new()
        {
            Node = new PoolOptions<int> { Name = "results", Workers = 1, Init = i => i },
            Handle = (_, id, _) => ValueTask.FromResult<object>(id == 1 ? new Unwritable(id, new MemoryStream()) : $"ran {id}"),
            Role = "worker",
        };
        var submitter = nodes[0].SpawnClusterPool(Definition());
        nodes[1].SpawnClusterPool(Definition() with { Role = null });
        await WaitForNodesAsync(submitter, 1);

        var unwritable = submitter.RunAsync(1);
        var fine = submitter.RunAsync(2);

        var error = await Assert.ThrowsAsync<RemoteJobException>(() => unwritable.WaitAsync(Watchdog));
        Assert.Contains(typeof(Unwritable).FullName!, error.Message);
        Assert.Contains("could not be serialized", error.Message);
        Assert.Equal(Address(nodes[1]), error.Node);
        Assert.Equal("ran 2", await fine.WaitAsync(Watchdog));
        var stats = await submitter.GetClusterStatsAsync();
        AssertSettled(stats, 2);
        Assert.Equal(1, stats.Failed);
        Assert.Equal(1, stats.Completed);
    }

    [Fact(Timeout = 120_000)]
    public async Task CallerCancellation_ReachesTheJobRunningOnAnotherNode()
    {
        await using var nodes = await ClusterNodes.StartAsync(2);
        var submitter = nodes[0].SpawnClusterPool(Definition(nodes[0], role: "worker"));
        var remote = nodes[1].SpawnClusterPool(Definition(nodes[1]));
        await WaitForNodesAsync(submitter, 1);
        using var cancel = new CancellationTokenSource();

        var job = submitter.RunAsync(new Work(1, 60_000), cancel.Token);
        await ClusterNodes.WaitUntilAsync(() => submitter.GetClusterStatsAsync().Result.Nodes.Single().InFlight == 1, Watchdog, "the job is in flight");
        await Task.Delay(300); // let it start there
        cancel.Cancel();

        await Assert.ThrowsAsync<JobCancelledException>(() => job.WaitAsync(Watchdog));
        await ClusterNodes.WaitUntilAsync(() => submitter.GetClusterStatsAsync().Result.Nodes.Single().InFlight == 0, Watchdog, "the node reported the cancelled job");
        var stats = await submitter.GetClusterStatsAsync();
        AssertSettled(stats, 1);
        Assert.Equal(1, stats.Cancelled);
        Assert.Equal(1, remote.RunsWorkers ? 1 : 0);
    }

    [Fact(Timeout = 120_000)]
    public async Task TraceContext_CrossesTheNodeBoundaryWithTheJob()
    {
        var seen = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PoolMetrics.MeterName || s.Name == "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (seen) { seen.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        await using var nodes = await ClusterNodes.StartAsync(2);
        var submitter = nodes[0].SpawnClusterPool(Definition(nodes[0], role: "worker"));
        nodes[1].SpawnClusterPool(Definition(nodes[1]));
        await WaitForNodesAsync(submitter, 1);

        ActivityTraceId trace;
        using (var caller = source.StartActivity("caller"))
        {
            trace = caller!.TraceId;
            await submitter.RunAsync(new Work(1, 1)).WaitAsync(Watchdog);
        }

        // The listener is process-wide and other specs run beside this one: look only at this caller's trace.
        await ClusterNodes.WaitUntilAsync(() => { lock (seen) { return seen.Any(a => a.OperationName == "actorpool.cluster.job" && a.TraceId == trace); } }, Watchdog, "the remote job's activity stopped");
        lock (seen)
        {
            var remote = seen.Single(a => a.OperationName == "actorpool.cluster.job" && a.TraceId == trace);
            Assert.Equal(trace, remote.TraceId);
            Assert.Equal(Address(nodes[1]), remote.GetTagItem("actorpool.node"));
            Assert.Contains(seen, a => a.OperationName == "actorpool.job" && a.TraceId == trace);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Counts_GoToTheActorpoolMeter_TaggedWithPoolAndNode()
    {
        var completed = new List<(string? Pool, string? Node)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PoolMetrics.MeterName && instrument.Name == "actorpool.jobs.completed")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? pool = null, node = null;
            foreach (var tag in tags)
            {
                pool = tag.Key == "pool" ? tag.Value as string : pool;
                node = tag.Key == "node" ? tag.Value as string : node;
            }

            lock (completed)
            {
                completed.Add((pool, node));
            }
        });
        listener.Start();
        await using var nodes = await ClusterNodes.StartAsync(1);
        var pool = nodes[0].SpawnClusterPool(Definition(nodes[0]));
        await WaitForNodesAsync(pool, 1);

        await pool.RunAsync(new Work(1, 1)).WaitAsync(Watchdog);

        lock (completed)
        {
            Assert.Contains(("jobs", Address(nodes[0])), completed);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task SpawnClusterPool_RefusesBadOptionsAndANonClusterSystem_NamingTheProblem()
    {
        await using var nodes = await ClusterNodes.StartAsync(1);
        var good = Definition(nodes[0]);

        Assert.Contains("Backlog", Assert.ThrowsAny<ArgumentException>(() => nodes[0].SpawnClusterPool(good with { Backlog = 0 })).Message);
        Assert.Contains("CreditPerWorker", Assert.ThrowsAny<ArgumentException>(() => nodes[0].SpawnClusterPool(good with { CreditPerWorker = 0 })).Message);
        Assert.Contains("Node.Handle", Assert.ThrowsAny<ArgumentException>(() => nodes[0].SpawnClusterPool(good with { Node = good.Node with { Handle = (_, m) => m } })).Message);
        foreach (var bad in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(-1), TimeSpan.MaxValue })
        {
            Assert.Equal(nameof(good.JobTimeout), Assert.Throws<ArgumentOutOfRangeException>(() => nodes[0].SpawnClusterPool(good with { JobTimeout = bad })).ParamName);
        }

        var pool = nodes[0].SpawnClusterPool(good);
        Assert.Contains("already runs", Assert.Throws<ArgumentException>(() => nodes[0].SpawnClusterPool(good)).Message);

        // A time limit longer than any node's pool takes is refused at submit, not where the job would run.
        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = pool.RunAsync(new Work(1, 0), timeout: TimeSpan.MaxValue); }); // thrown at once, not in the task
        Assert.Equal("timeout", tooLong.ParamName);
        Assert.Equal(0, (await pool.GetClusterStatsAsync()).Submitted);

        using var local = ActorSystem.Create("local");
        Assert.Contains("akka.actor.provider = cluster", Assert.Throws<InvalidOperationException>(() => local.SpawnClusterPool(Definition(local))).Message);
    }

    private sealed class ReplyCatcher : ReceiveActor
    {
        public ReplyCatcher(TaskCompletionSource<object> reply) => ReceiveAny(m => reply.TrySetResult(m));
    }
}
