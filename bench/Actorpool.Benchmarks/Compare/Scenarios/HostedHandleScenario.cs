using System.Diagnostics;
using Actorpool.Actors.Pools;
using Actorpool.Hosting.Pools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// The cost of the hosting layer on the job path: the same pool driven through its <see cref="PoolRef{TState}"/>
/// (the peer) and through the injectable <see cref="IPool{TState}"/> handle a hosted application uses.
/// </summary>
public sealed class HostedHandleScenario : Scenario
{
    private IHost? _host;
    private IPool<int>? _handle;
    private int _jobs;

    public override string Name => "hosted-handle";

    public override string Metric => "jobs/s";

    public override bool HigherIsBetter => true;

    public override string Target => "ratio >= 0.9 (the handle adds no measurable cost)";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 0.9;

    public override void Setup(bool quick)
    {
        _jobs = quick ? 50_000 : 200_000;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddActorpool(pools => pools.AddPool<int>("bench", o => o with { Init = i => i, Workers = 2, Backlog = 4096 }));
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        _handle = _host.Services.GetRequiredService<IPool<int>>();
    }

    public override void Cleanup()
    {
        _host?.StopAsync().GetAwaiter().GetResult();
        _host?.Dispose();
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("PoolRef.RunAsync", true, () => Run(i => _handle!.Pool.RunAsync(s => s + i))),
        new("IPool.RunAsync (hosted)", false, () => Run(i => _handle!.RunAsync(s => s + i))),
    ];

    private double Run(Func<int, Task<int>> submit)
    {
        var tasks = new Task<int>[_jobs];
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = submit(i);
        }

        var results = Task.WhenAll(tasks).GetAwaiter().GetResult();
        sw.Stop();
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] < i)
            {
                throw new InvalidOperationException($"Job {i} returned {results[i]}");
            }
        }

        return _jobs / sw.Elapsed.TotalSeconds;
    }
}
