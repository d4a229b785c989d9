using System.Diagnostics;
using Akka.Actor;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>Shared pieces of the actor-pool scenarios: a quiet ActorSystem, a completion latch, a spin.</summary>
internal static class ActorBench
{
    public static ActorSystem CreateSystem(string name) =>
        ActorSystem.Create(name, "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = 0");

    /// <summary>A job that does nothing.</summary>
    public static void Nothing(int job)
    {
    }

    /// <summary>Spins (busy) for <paramref name="duration"/> of wall-clock time.</summary>
    public static void Spin(TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            Thread.SpinWait(20);
        }
    }
}

/// <summary>Counts jobs done on any thread and opens when the expected number is reached.</summary>
internal sealed class Latch
{
    private readonly ManualResetEventSlim _done = new();
    private long _remaining;

    public void Reset(long expected)
    {
        _done.Reset();
        Volatile.Write(ref _remaining, expected);
    }

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.Set();
        }
    }

    /// <summary>
    /// Submits jobs 0..<paramref name="jobs"/> with <paramref name="submit"/> (each signals this latch when done), waits
    /// for all of them, and returns the rate in millions of jobs per second, submission included.
    /// </summary>
    public double MillionsPerSecond(int jobs, Action<int> submit)
    {
        Reset(jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            submit(i);
        }

        Wait();
        return jobs / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    public void Wait()
    {
        if (!_done.Wait(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException($"Jobs did not finish: {Volatile.Read(ref _remaining)} left.");
        }
    }
}

/// <summary>A router routee that runs the job a message describes and signals the latch.</summary>
internal sealed class LatchRoutee(Latch latch, Action<int> work) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is int job)
        {
            work(job);
            latch.Signal();
        }
        else if (message is string)
        {
            Sender.Tell(1);
        }
    }
}
