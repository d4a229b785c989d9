using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Akka.Actor;

namespace Actorpool.Examples.Server;

/// <summary>
/// poolio's server: requests are handled by a pool of 3 workers; one request panics, the pool respawns that
/// worker with fresh state and serves the rest. <see cref="Run"/> is what Program.cs and the example test call.
/// </summary>
public static class ServerExample
{
    /// <summary>Runs the example to completion, writing what it does to <paramref name="output"/>; returns the exit code (0 = as expected).</summary>
    public static int Run(TextWriter output) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(TextWriter output)
    {
        using var system = ActorSystem.Create("server", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        var pool = system.SpawnPool(new PoolOptions<Handler>
        {
            Name = "requests",
            Workers = 3,
            Init = index => new Handler(index, output),
            Panic = PanicPolicy.Respawn(new RestartBudget(3, TimeSpan.FromMinutes(1))),
        });

        var requests = Enumerable.Range(1, 12).Select(i => i == 5 ? "/panic" : $"/page/{i}").ToArray();
        var responses = requests.Select(path => pool.RunAsync(handler => handler.Serve(path))).ToArray();

        var served = 0;
        for (var i = 0; i < requests.Length; i++)
        {
            try
            {
                var response = await responses[i].ConfigureAwait(false);
                served++;
                output.WriteLine($"{requests[i],-9} -> {response}");
            }
            catch (InvalidOperationException ex)
            {
                output.WriteLine($"{requests[i],-9} -> 500 ({ex.Message}); the worker is respawned");
            }
        }

        var report = await pool.DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var stats = await pool.GetStatsAsync().ConfigureAwait(false);
        output.WriteLine($"served {served}, failed {stats.Failed}, restarts {stats.Restarts}, completed {report.Completed}");
        await system.Terminate().ConfigureAwait(false);

        var balanced = stats.Submitted == stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled;
        return served == 11 && stats.Failed == 1 && stats.Restarts == 1 && balanced ? 0 : 1;
    }

    /// <summary>A worker's state: which worker it is and how many requests this incarnation served.</summary>
    private sealed class Handler(int index, TextWriter output) : IDisposable
    {
        private int _served;

        public string Serve(string path)
        {
            if (path == "/panic")
            {
                throw new InvalidOperationException($"worker {index} panicked on {path}");
            }

            _served++;
            return $"200 from worker {index} (request {_served} of this incarnation)";
        }

        public void Dispose() => output.WriteLine($"worker {index}: state closed after {_served} requests");
    }
}
