// A console host running one Actorpool pool, fed by a background service. Ctrl-C or SIGTERM stops the feeder,
// drains the jobs in flight, prints one outcome per job and a summary, and exits 0.
using Actorpool.Examples.HostedPool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton<JobLedger>();
builder.Services.Configure<FeederOptions>(builder.Configuration.GetSection("Feeder"));
builder.Services.AddActorpool(pools => pools
    .BindConfiguration()
    .AddPool<Thumbnailer>("thumbnails", options => options with { Init = index => new Thumbnailer(index) }));

// Registered after AddActorpool, so the host stops it (no new jobs) before the pools are drained.
builder.Services.AddHostedService<JobFeeder>();

using var host = builder.Build();
var ledger = host.Services.GetRequiredService<JobLedger>();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => Console.WriteLine("stopping: draining the pool"));
await host.RunAsync();

await ledger.WhenSettledAsync(TimeSpan.FromSeconds(10));
Console.WriteLine(ledger.Summary());
return ledger.Pending == 0 ? 0 : 1;
