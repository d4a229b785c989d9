using Actorpool.Actors.Pools;
using Actorpool.Actors.Workers;
using Actorpool.Dynamic;
using Akka.Event;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>The pool's size, plain state tested without an ActorSystem: every Scale kind, the cache period, clamping.</summary>
public sealed class ScalingTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly WorkerTable _workers = new(prefetch: 1, new RecordingRef("pool"));
    private Scale _answer = Scale.Active(2);
    private readonly Dictionary<int, RecordingRef> _refs = [];
    private int _asked;

    private Scaling<int> Scaling(int maxWorkers = 8, bool scaled = true) => new(
        new PoolOptions<int>
        {
            Name = "p",
            Init = i => i,
            Workers = 3,
            MaxWorkers = maxWorkers,
            Scale = scaled ? _ => { _asked++; return _answer; } : null,
            ScaleCachePeriod = TimeSpan.FromSeconds(1),
            TimeProvider = _time,
        },
        () => new PoolLoad(0, 0, 0, _workers.Live),
        NoLogger.Instance);

    private void Spawn(int index)
    {
        _refs[index] = new RecordingRef($"worker-{index}");
        _workers.Add(new WorkerLink(index), _refs[index]).Ready = true;
    }

    [Fact]
    public void WithoutAScaleFunction_TheFixedCountIsTheTarget()
    {
        var scaling = Scaling(scaled: false);

        Assert.False(scaling.Ask(force: true));
        scaling.Apply(_workers, Spawn);

        Assert.Equal(3, _workers.Live);
        Assert.Equal(0, _asked);
    }

    [Fact]
    public void TheAnswerIsCachedForItsPeriod_UnlessForced()
    {
        var scaling = Scaling();
        scaling.Ask(force: false);
        scaling.Ask(force: false);
        Assert.Equal(1, _asked);

        scaling.Ask(force: true);
        _time.Advance(TimeSpan.FromSeconds(1));
        scaling.Ask(force: false);
        Assert.Equal(3, _asked);
    }

    [Fact]
    public void Mixed_KeepsItsInactiveWorkersWarmWithoutJobs_AndRetiresTheRest_LowestIndexesActive()
    {
        var scaling = Scaling();
        _answer = Scale.Active(4);
        scaling.Ask(force: true);
        scaling.Apply(_workers, Spawn);

        _answer = Scale.Mixed(1, maxInactive: 2);
        scaling.Ask(force: true);
        scaling.Apply(_workers, Spawn);

        Assert.Equal([false, true, true], _workers.LiveByIndex().Select(w => w.Inactive));
        Assert.Equal([0, 1, 2], _workers.LiveByIndex().Select(w => w.Index));
        Assert.Equal([Retire.AfterQueued], _refs[3].Told);

        _answer = Scale.Active(3); // warm workers become active again, no spawn needed
        scaling.Ask(force: true);
        scaling.Apply(_workers, Spawn);
        Assert.All(_workers.LiveByIndex(), w => Assert.False(w.Inactive));
        Assert.Equal(3, _workers.Live);
    }

    [Fact]
    public void NoTerm_RetiresNobody()
    {
        var scaling = Scaling();
        _answer = Scale.Active(3);
        scaling.Ask(force: true);
        scaling.Apply(_workers, Spawn);

        _answer = Scale.NoTerm(0);
        scaling.Ask(force: true);
        scaling.Apply(_workers, Spawn);

        Assert.Equal(3, _workers.Live);
        Assert.All(_workers.LiveByIndex(), w => Assert.True(w.Inactive));
    }

    [Fact]
    public void AnAnswerAboveMaxWorkersIsClamped_AThrowKeepsTheLastAnswer_AndShutdownIsReported()
    {
        var scaling = Scaling(maxWorkers: 2);
        _answer = Scale.Active(5);
        Assert.False(scaling.Ask(force: true));
        Assert.Equal(2, scaling.Target);

        var throwing = new Scaling<int>(
            new PoolOptions<int> { Name = "p", Init = i => i, Scale = _ => throw new InvalidOperationException("boom"), TimeProvider = _time },
            () => default,
            NoLogger.Instance);
        Assert.False(throwing.Ask(force: true));
        Assert.Equal(0, throwing.Target);

        _answer = Scale.Shutdown;
        Assert.True(scaling.Ask(force: true));
        Assert.Equal(2, scaling.Target);
    }
}
