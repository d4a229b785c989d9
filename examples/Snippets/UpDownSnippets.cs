using Actorpool.Actors.Messaging;
using Akka.Actor;

namespace Actorpool.Examples.Snippets;

/// <summary>README "Up/down messaging": broadcast a tick, drain a burst of results, stop and join.</summary>
public static class UpDownSnippets
{
    /// <summary>Runs the snippet in <paramref name="system"/>; returns the stop report and the results applied.</summary>
    public static (UpDownStopReport<Result> Report, List<Result> Applied) Run(ActorSystem system, int tick)
    {
        var applied = new List<Result>();
        void Apply(Result result) => applied.Add(result);

        #region up-down
        var pool = system.SpawnUpDownPool<int, Result>(new UpDownOptions { Capacity = 1024 });
        pool.AddWorker(async (int tick, UpLink<Result> up) => await up.SendUpAsync(Simulate(tick)));
        // or thread-style: var pool = UpDownPool.CreateThreaded<int, Result>(); pool.Execute(w => w.Run(t => w.Send(Simulate(t))));
        pool.Broadcast(tick);                                  // SendTo(i, m), SendToNext(m), Pause(), Continue()
        foreach (var m in pool.RecvBurst()) Apply(m.Value);    // only what was sent before this call
        var report = pool.StopAndJoin();                       // remaining messages + every worker failure
        #endregion
        return (report, applied);
    }

    private static Result Simulate(int tick) => new(tick, tick * 2);
}

/// <summary>Stands in for a worker's result of one tick.</summary>
public sealed record Result(int Tick, int Value);
