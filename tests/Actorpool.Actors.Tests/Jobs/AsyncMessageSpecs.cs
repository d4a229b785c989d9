using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Jobs;

/// <summary>
/// The message API with asynchronous code: a pool's <c>HandleAsync</c>, <c>Submit.RunAsync</c> closures and the typed
/// <c>Submit.Run</c> forms; one outcome message per job, and the worker stays the job's until its task completes.
/// </summary>
public sealed class AsyncMessageSpecs : PoolSpec
{
    [Fact(Timeout = 30_000)]
    public async Task HandleAsync_HandlesJobMessages_OneAtATimePerWorker_WithOneOutcomeEach()
    {
        var inside = 0;
        var overlaps = 0;
        var pool = Sys.SpawnPool(new PoolOptions<int>
        {
            Name = "handle-async",
            Workers = 1,
            Init = i => i,
            HandleAsync = async (worker, message, token) =>
            {
                overlaps += Interlocked.Increment(ref inside) == 1 ? 0 : 1;
                await Task.Delay(1, token);
                Interlocked.Decrement(ref inside);
                return message is string s ? s.ToUpperInvariant() : throw new ArgumentException($"unknown {message}");
            },
            Panic = PanicPolicy.Resume,
        });

        for (var i = 0; i < 20; i++)
        {
            pool.Ref.Tell(Submit.Message(i, $"m{i}"), TestActor);
        }

        pool.Ref.Tell(Submit.Message(99, 42), TestActor);

        var outcomes = ReceiveN(21, Watchdog).Cast<JobOutcome>().ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"M{i}"), outcomes.OfType<JobCompleted>().OrderBy(o => o.JobId).Select(o => (string)o.Result!));
        Assert.IsType<ArgumentException>(Assert.Single(outcomes.OfType<JobFailed>()).Cause);
        Assert.Equal(0, overlaps);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((21, 20, 1), (stats.Submitted, stats.Completed, stats.Failed));
    }

    [Fact(Timeout = 30_000)]
    public async Task TypedAndAsyncSubmits_EachGetOneOutcome_CarryingTheirResult()
    {
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "typed-submits", Workers = 2, Init = i => i + 10 });
        var voids = 0;

        pool.Ref.Tell(Submit.Run<int, int>(1, state => state * 2), TestActor);
        pool.Ref.Tell(Submit.Run<int>(2, _ => { Interlocked.Increment(ref voids); }), TestActor);
        pool.Ref.Tell(Submit.RunAsync<int, string>(3, async (state, token) =>
        {
            await Task.Delay(1, token);
            return $"async {state}";
        }), TestActor);
        pool.Ref.Tell(Submit.RunAsync<int>(4, async (_, token) => await Task.Delay(1, token)), TestActor);

        var results = ReceiveN(4, Watchdog).Cast<JobCompleted>().ToDictionary(o => o.JobId, o => o.Result);
        Assert.Contains(results[1], new object[] { 20, 22 });
        Assert.Null(results[2]);
        Assert.Contains((string)results[3]!, new[] { "async 10", "async 11" });
        Assert.Null(results[4]);
        Assert.Equal(1, voids);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((4, 4), (stats.Submitted, stats.Completed));
    }

    [Fact]
    public void HandleAndHandleAsync_Together_AreRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => Sys.SpawnPool(new PoolOptions<int>
        {
            Name = "both-handles",
            Init = i => i,
            Handle = (_, m) => m,
            HandleAsync = (_, m, _) => ValueTask.FromResult<object?>(m),
        }));

        Assert.Equal(nameof(PoolOptions<int>.HandleAsync), refused.ParamName);
    }
}
