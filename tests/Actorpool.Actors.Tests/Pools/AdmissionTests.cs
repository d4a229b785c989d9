using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>A pool's way in, plain state tested without an ActorSystem: permits, the backlog, refusals, requeues.</summary>
public sealed class AdmissionTests
{
    private readonly PoolShared _shared = new("p", backlog: 2);
    private readonly Shutdown _stop = new("p");
    private readonly Admission _admission;
    private long _ids;

    public AdmissionTests() => _admission = new Admission(_shared, _stop, new PoolStandIn());

    private TaskJob<int, int> Job(bool holdsPermit = false)
    {
        var job = new TaskJob<int, int>(Interlocked.Increment(ref _ids), s => s, _shared.Counters);
        if (holdsPermit)
        {
            Assert.True(_shared.Gate.TryTake()); // as the Task facade does before sending
            job.HoldsPermit = true;
        }

        return job;
    }

    [Fact]
    public async Task Wait_TakesAPermitPerJob_AndRejectsWhenTheBacklogIsFull_NamingIt()
    {
        Assert.True(_admission.Wait(Job()));
        Assert.True(_admission.Wait(Job(holdsPermit: true))); // its caller's permit: none taken here
        var third = Job();

        Assert.False(_admission.Wait(third));

        var rejected = await Assert.ThrowsAsync<JobRejectedException>(() => third.Task);
        Assert.Contains("backlog is full (2 jobs waiting)", rejected.Message, StringComparison.Ordinal);
        Assert.Equal((2, 0), (_admission.Count, _shared.Gate.Free));
    }

    [Fact]
    public async Task AStoppingPool_RefusesAJob_AndGivesItsPermitBack()
    {
        _stop.Begin(drain: true, deadline: null, new StopWaiter(null, null));
        var job = Job(holdsPermit: true);

        Assert.False(_admission.Wait(job));

        await Assert.ThrowsAsync<JobRejectedException>(() => job.Task);
        Assert.Equal((0, 2), (_admission.Count, _shared.Gate.Free));
    }

    [Fact]
    public async Task AKilledPool_CancelsAJobThatArrivesLate_NamingTheCause()
    {
        _stop.Kill(new InvalidOperationException("fatal"));
        var job = Job(holdsPermit: true);

        Assert.Null(_admission.Take(job));

        var cancelled = await Assert.ThrowsAsync<JobCancelledException>(() => job.Task);
        Assert.Contains("was killed: fatal", cancelled.Message, StringComparison.Ordinal);
        Assert.Equal(2, _shared.Gate.Free);
    }

    [Fact]
    public async Task Requeue_PutsAGivenBackJobFirst_AndSettleAllCancelsEveryJobGivingItsPermitBack()
    {
        var first = Job();
        var second = Job();
        _admission.Wait(first);
        _admission.Requeue(second, "unused");
        Assert.Same(second, _admission.PeekFirst());

        _admission.SettleAll("the pool stopped");

        Assert.Equal(0, _admission.Count);
        await Assert.ThrowsAsync<JobCancelledException>(() => first.Task);
        await Assert.ThrowsAsync<JobCancelledException>(() => second.Task);
        Assert.Equal(2, _shared.Gate.Free); // the first's permit back; the requeued one held none here
    }

    /// <summary>The pool's ref as the jobs see it; no ActorSystem behind it.</summary>
    private sealed class PoolStandIn : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("test", "admission")) / "p";

        public override IActorRefProvider Provider => throw new NotSupportedException();
    }
}
