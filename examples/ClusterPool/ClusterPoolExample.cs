using System.Diagnostics;
using Actorpool.Cluster.Pools;
using Akka.Actor;

namespace Actorpool.Examples.ClusterPool;

/// <summary>
/// Three nodes as three processes on loopback: this one seeds the cluster and submits every job; two launched
/// processes join it. One of them is killed (no graceful leave) when 30% of the jobs are done: the others down it and
/// its jobs run again elsewhere. At the end each node's share and the outcome of every job are printed.
/// </summary>
public static class ClusterPoolExample
{
    public const int Jobs = 3000;

    public static async Task<int> RunAsync(TextWriter output)
    {
        var system = ActorSystem.Create("shop", Pricing.NodeConfig());
        var cluster = Akka.Cluster.Cluster.Get(system);
        await cluster.JoinAsync(cluster.SelfAddress);
        var pool = system.SpawnClusterPool(Pricing.Pool(system));
        var names = new System.Collections.Concurrent.ConcurrentDictionary<string, string> { [cluster.SelfAddress.ToString()] = "node-a" };
        var nodes = new[] { "node-b", "node-c" }.Select(name => Launch(cluster.SelfAddress.ToString(), name, names)).ToList();
        try
        {
            output.WriteLine($"node-a (this process) {cluster.SelfAddress}: waiting for node-b and node-c to join");
            await WaitUntilAsync(async () => (await pool.GetClusterStatsAsync()).Nodes.Count == 3, TimeSpan.FromSeconds(90));

            var tasks = Enumerable.Range(0, Jobs).Select(i => pool.RunAsync(new PriceBasket(i, 1 + i % 20))).ToList();
            await WaitUntilAsync(() => Task.FromResult(tasks.Count(t => t.IsCompleted) >= Jobs * 3 / 10), TimeSpan.FromSeconds(120));
            var done = tasks.Count(t => t.IsCompleted);
            nodes[1].Kill(entireProcessTree: true);
            output.WriteLine($"killed node-c (process {nodes[1].Id}) with {done} of {Jobs} jobs done: no leave, the cluster must down it");
            var killedAt = Stopwatch.StartNew();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(180));

            output.WriteLine($"every job had its outcome {killedAt.Elapsed.TotalSeconds:F1} s after the kill (failure detection, the split-brain resolver's decision, re-dispatch)");
            var stats = await pool.GetClusterStatsAsync();
            var ran = tasks.Where(t => t.IsCompletedSuccessfully).GroupBy(t => t.Result.Node).ToDictionary(g => g.Key, g => g.Count());
            foreach (var (node, count) in ran.OrderBy(p => p.Key))
            {
                output.WriteLine($"  {names.GetValueOrDefault(node, node)}: {count} jobs' results came from it");
            }

            foreach (var node in stats.Nodes)
            {
                output.WriteLine($"  {names.GetValueOrDefault(node.Node, node.Node)}: {node.Workers} workers, {node.Executed} jobs run there");
            }

            var failed = tasks.Count(t => t.IsFaulted);
            output.WriteLine($"jobs: submitted {stats.Submitted}, completed {stats.Completed}, failed {stats.Failed}, rejected {stats.Rejected}, cancelled {stats.Cancelled}, without outcome {stats.Pending}");
            output.WriteLine($"node-c lost: {stats.NodesLost} node(s), {stats.Redispatched} job(s) it held ran again elsewhere (at-least-once)");
            var whole = stats.Submitted == Jobs && stats.Completed == Jobs && stats.Pending == 0 && failed == 0;
            output.WriteLine(whole ? "every job got exactly one outcome: all completed" : "SOME JOBS DID NOT COMPLETE");

            nodes[0].StandardInput.Close(); // node-b leaves gracefully
            await nodes[0].WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await pool.DrainAsync(TimeSpan.FromSeconds(10));
            return whole ? 0 : 1;
        }
        finally
        {
            foreach (var node in nodes.Where(n => !n.HasExited))
            {
                node.Kill(entireProcessTree: true);
            }

            await system.Terminate();
        }
    }

    /// <summary>Starts this program again as a worker node that joins <paramref name="seed"/>.</summary>
    private static Process Launch(string seed, string name, System.Collections.Concurrent.ConcurrentDictionary<string, string> names)
    {
        // Run by its app host, by `dotnet <dll>`, or from a test host: start the same program the same way, or with dotnet.
        var host = Environment.ProcessPath!;
        var dll = typeof(ClusterPoolExample).Assembly.Location;
        var ownHost = Path.GetFileNameWithoutExtension(host) == Path.GetFileNameWithoutExtension(dll);
        var dotnet = Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(ownHost ? host : dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (!ownHost)
        {
            start.ArgumentList.Add(dll);
        }

        foreach (var argument in new[] { "worker", seed, name })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Split(' ') is ["ready", var node, var address])
            {
                names[address] = node; // "ready node-b akka.tcp://shop@127.0.0.1:port"
            }
        };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The cluster example waited {timeout} in vain.");
            }

            await Task.Delay(100);
        }
    }
}
