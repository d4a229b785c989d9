using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Examples.DbState;

/// <summary>
/// Per-worker state with asynchronous jobs: each worker opens one "connection" in <c>Init</c>, every query is an
/// <c>async</c> job on its worker's connection (the worker stays the query's until it completes, so a connection
/// never serves two queries at once, and the query's token reaches it), the backlog in front of the pool is bounded
/// (awaiting callers wait, <c>TryRun</c> is refused), and every connection is closed exactly once when the pool drains. <see cref="Run"/> is what
/// Program.cs and the example test call.
/// </summary>
public static class DbStateExample
{
    /// <summary>Runs the example to completion, writing what it does to <paramref name="output"/>; returns the exit code (0 = as expected).</summary>
    public static int Run(TextWriter output) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(TextWriter output)
    {
        using var system = ActorSystem.Create("dbstate", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        var connections = new List<Connection>();
        var pool = system.SpawnPool(new PoolOptions<Connection>
        {
            Name = "db",
            Workers = 2,
            Backlog = 4,
            Init = index =>
            {
                var connection = new Connection(index, output);
                lock (connections)
                {
                    connections.Add(connection);
                }

                return connection;
            },
        });

        // Awaiting callers: 20 async queries through a backlog of 4; RunAsync waits for space instead of failing.
        var queries = Enumerable.Range(1, 20)
            .Select(id => pool.RunAsync(async (db, token) => await db.QueryAsync($"SELECT name FROM users WHERE id = {id}", token)))
            .ToArray();
        var rows = await Task.WhenAll(queries).ConfigureAwait(false);
        output.WriteLine($"{rows.Length} queries answered, e.g. '{rows[0]}'");

        // A burst of TryRun: accepted while the backlog has room, refused at once when it is full.
        var accepted = new List<Task<string>>();
        var refused = 0;
        for (var i = 0; i < 50; i++)
        {
            if (pool.TryRun((db, token) => db.QueryAsync("SELECT 1", token), out var row))
            {
                accepted.Add(row);
            }
            else
            {
                refused++;
                await Assert(row).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(accepted).ConfigureAwait(false);
        output.WriteLine($"burst of 50: {accepted.Count} accepted, {refused} refused by the backlog");

        var report = await pool.DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var stats = await pool.GetStatsAsync().ConfigureAwait(false);
        output.WriteLine($"drained: completed {report.Completed}, rejected {stats.Rejected}; connections closed: {connections.Count(c => c.Closes == 1)} of {connections.Count}; queries overlapping on one connection: {connections.Sum(c => c.Overlaps)}");
        await system.Terminate().ConfigureAwait(false);

        var balanced = stats.Submitted == stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled;
        var closedOnce = connections.Count == 2 && connections.All(c => c.Closes == 1 && c.Overlaps == 0);
        return balanced && closedOnce && stats.Completed == 20 + accepted.Count && stats.Rejected == refused ? 0 : 1;
    }

    private static async Task Assert(Task<string> refusedRow)
    {
        try
        {
            await refusedRow.ConfigureAwait(false);
            throw new InvalidOperationException("A refused TryRun must not run.");
        }
        catch (JobRejectedException)
        {
            // Expected: the backlog was full.
        }
    }

    /// <summary>A worker's "database connection": opened in Init, used by one worker only, closed when it stops.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly int _index;
        private readonly TextWriter _output;
        private int _queries;
        private int _open;

        public Connection(int index, TextWriter output)
        {
            _index = index;
            _output = output;
            output.WriteLine($"worker {index}: connection opened");
        }

        public int Closes { get; private set; }

        /// <summary>Queries that found another query of this connection still running (must stay 0).</summary>
        public int Overlaps { get; private set; }

        public async ValueTask<string> QueryAsync(string sql, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _open) != 1)
            {
                Overlaps++;
            }

            try
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false); // the round trip to the database
                _queries++;
                return $"row for [{sql}] via connection {_index}";
            }
            finally
            {
                Interlocked.Decrement(ref _open);
            }
        }

        public void Dispose()
        {
            Closes++;
            _output.WriteLine($"worker {_index}: connection closed after {_queries} queries");
        }
    }
}
