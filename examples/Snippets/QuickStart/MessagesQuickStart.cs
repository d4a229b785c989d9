using Akka.Actor;
#region quick-messages
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Messaging;
using Actorpool.Actors.Pools;
#endregion

namespace Actorpool.Examples.Snippets.QuickStart;

/// <summary>README quick start "Messages": a job as a message with one outcome message back, and up/down messaging per tick.</summary>
public static class MessagesQuickStart
{
    /// <summary>Runs the snippet in <paramref name="system"/>; returns the outcome, the results read per tick and the stop report.</summary>
    public static async Task<(JobOutcome Outcome, List<Result> Results, UpDownStopReport<Result> Left)> RunAsync(ActorSystem system)
    {
        #region quick-messages
        var greeters = system.SpawnPool(new PoolOptions<string>
        {
            Name = "greeters",
            Init = index => $"worker {index}",
            Handle = (worker, message) => $"hello {message} from {worker}",   // a job can be a plain message
        });
        var outcome = await greeters.Ref.Ask<JobOutcome>(Submit.Message(1, "Ada"));   // an actor Tells and gets this back:
        // JobCompleted(1, "hello Ada from worker 0"), or JobFailed | JobRejected | JobCancelled: exactly one

        var sim = system.SpawnUpDownPool<int, Result>(new UpDownOptions { Capacity = 64 });   // up/down: a manager and its workers
        sim.AddWorker(async (int tick, UpLink<Result> up) => await up.SendUpAsync(new Result(tick, tick * 2)));
        var results = new List<Result>();
        for (var tick = 0; tick < 3; tick++)
        {
            sim.Broadcast(tick);                                        // down, to every worker
            await Task.Delay(20);                                       // the rest of the tick's work
            results.AddRange(sim.RecvBurst().Select(m => m.Value));     // up: what has arrived, never waits
        }
        var rest = sim.StopAndJoin();                                   // what is left, and every worker failure
        #endregion
        await greeters.DrainAsync(TimeSpan.FromSeconds(10));
        return (outcome, results, rest);
    }
}
