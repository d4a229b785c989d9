using Actorpool.Actors.Messaging;
using Akka.Actor;

namespace Actorpool.Reliability.Tests.Chaos;

/// <summary>
/// A flooding up/down stream for one chaos round: an up/down pool (thread-style or actor workers, chosen at random)
/// with a small up-queue whose workers send numbered messages up as fast as they can, while the manager drains with
/// <c>RecvBurst</c> more slowly; at a random point it stops the pool (Stop, StopAndJoin or StopAndJoinAsync). Checks
/// that every message a worker sent up was received exactly once, in order, and that the stop returned in time.
/// </summary>
internal sealed class FloodStream(ActorSystem system, Random random, int index)
{
    /// <summary>Thread-style workers are named <c>flood-{round}-worker-{index}</c>.</summary>
    internal const string ThreadPrefix = "flood-";

    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);

    internal string Stage { get; private set; } = "starting";

    /// <summary>Runs the stream; throws naming the worker and the message when one is lost, duplicated or out of order.</summary>
    internal async Task<string> RunAsync()
    {
        var workers = random.Next(1, 4);
        var perWorker = random.Next(50, 300);
        var stopAfter = random.Next(0, workers * perWorker);
        var threaded = random.Next(2) == 0;
        var stopKind = random.Next(3);
        var options = UpDownOptions.Default with { Name = $"flood-{index}", Capacity = random.Next(4, 65) };
        var sent = new int[workers];
        var settings = $"{(threaded ? "threads" : "actors")}, {workers} workers x {perWorker}, capacity {options.Capacity}, " +
            $"stop kind {stopKind} after {stopAfter} received";

        UpDownPool<int, int> pool;
        if (threaded)
        {
            var threads = UpDownPool.CreateThreaded<int, int>(options);
            for (var w = 0; w < workers; w++)
            {
                threads.Execute(worker =>
                {
                    for (var i = 0; i < perWorker; i++)
                    {
                        _ = worker.TryRecv(out _); // applies a Stop that has arrived
                        if (worker.IsStopped)
                        {
                            return;
                        }

                        worker.Send(i); // blocks while the up-queue is full
                        sent[worker.Index]++;
                    }
                });
            }

            pool = threads;
        }
        else
        {
            var actors = system.SpawnUpDownPool<int, int>(options);
            for (var w = 0; w < workers; w++)
            {
                actors.AddWorker(async (count, context) =>
                {
                    for (var i = 0; i < count; i++)
                    {
                        await context.SendUpAsync(i); // waits without a thread while the up-queue is full
                        sent[context.Index]++;
                    }
                });
                actors.SendTo(w, perWorker);
            }

            pool = actors;
        }

        var received = Enumerable.Range(0, workers).Select(_ => new List<int>()).ToArray();
        var total = 0;
        var bursts = 0;
        Stage = $"draining with RecvBurst ({settings})";
        while (total < stopAfter && total < workers * perWorker)
        {
            foreach (var message in pool.RecvBurst())
            {
                received[message.Worker].Add(message.Value);
                total++;
            }

            // Pacing: the manager drains more slowly than the workers send, so the small up-queue keeps filling up.
            bursts++;
            await (bursts % 32 == 0 ? Task.Delay(1) : Task.Run(static () => { }));
        }

        Stage = $"stopping ({settings})";
        IEnumerable<UpMessage<int>> rest = stopKind switch
        {
            0 => await Task.Run(() => pool.Stop().ToList()).WaitAsync(StopBound),
            1 => (await Task.Run(pool.StopAndJoin).WaitAsync(StopBound)).Messages,
            _ => (await pool.StopAndJoinAsync().WaitAsync(StopBound)).Messages,
        };
        foreach (var message in rest)
        {
            received[message.Worker].Add(message.Value);
        }

        Stage = $"disposing ({settings})";
        await pool.DisposeAsync().AsTask().WaitAsync(StopBound);
        for (var w = 0; w < workers; w++)
        {
            var got = received[w];
            var wrong = Enumerable.Range(0, got.Count).FirstOrDefault(i => got[i] != i, -1);
            Assert.True(
                got.Count == Volatile.Read(ref sent[w]) && wrong < 0,
                $"Flood {index}, worker {w}: sent {sent[w]}, received {got.Count}" +
                (wrong >= 0 ? $", message {wrong} was {got[wrong]}" : string.Empty) + $" ({settings})");
        }

        return settings;
    }
}
