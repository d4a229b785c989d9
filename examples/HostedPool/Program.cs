// A console host running one Actorpool pool, fed by a background service. Ctrl-C or SIGTERM stops the feeder,
// drains the jobs in flight, prints one outcome per job and a summary, and exits 0.
using Actorpool.Examples.HostedPool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The content root is the app's own folder, where the build copies appsettings.json, so the file is read whichever
// directory the example is started from (`dotnet run --project examples/HostedPool` runs it from the repository root).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSingleton<JobLedger>();
builder.Services.Configure<FeederOptions>(builder.Configuration.GetSection("Feeder"));
builder.Services.AddActorpool(pools => pools
    .BindConfiguration()
    .AddPool<Thumbnailer>("thumbnails", options => options with { Init = index => new Thumbnailer(index) }));

// Every FailEvery-th job throws on purpose. The ledger logs each failed job as one warning (exception type and
// message); the pool's supervisor would also log it as an error with the whole stack trace, as it logs any worker
// failure, which here would read like a crash. An app whose failures are not planned keeps that log.
builder.Logging.AddFilter("Actorpool.Actors.Supervision.PanicStrategy", LogLevel.None);

// Registered after AddActorpool, so the host stops it (no new jobs) before the pools are drained.
builder.Services.AddHostedService<JobFeeder>();

using var host = builder.Build();
var ledger = host.Services.GetRequiredService<JobLedger>();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => Console.WriteLine("stopping: draining the pool"));
await host.RunAsync();

await ledger.WhenSettledAsync(TimeSpan.FromSeconds(10));
Console.WriteLine(ledger.Summary());
return ledger.Pending == 0 ? 0 : 1;
