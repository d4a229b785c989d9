namespace Actorpool.Reliability.Tests.BadInput;

/// <summary>Assertions for one row of the bad-input table: the exception type and the words that name the fault.</summary>
internal static class Expect
{
    internal static async Task Throws<TException>(Func<Task> act, params string[] mentions)
        where TException : Exception
    {
        var error = await Record.ExceptionAsync(() => Task.Run(act));
        Assert.NotNull(error);
        Assert.IsAssignableFrom<TException>(error);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        }
    }

    internal static Task Throws<TException>(Action act, params string[] mentions)
        where TException : Exception => Throws<TException>(
            () =>
            {
                act();
                return Task.CompletedTask;
            },
            mentions);

    internal static async Task Succeeds(Action act) => await Task.Run(act);

    /// <summary>The exception and its inner exceptions, outermost first.</summary>
    internal static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>Runs one job on the started host's pool, stops the host, and checks the job got exactly one outcome.</summary>
    internal static async Task<Actorpool.Actors.Pools.PoolStats> OneJobThroughStopAsync(Microsoft.Extensions.Hosting.IHost host, TimeSpan watchdog)
    {
        var pool = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Hosting.Pools.IPool<int>>(host.Services);
        var job = pool.RunAsync(s => s + 1);
        await host.StopAsync().WaitAsync(watchdog);
        await Record.ExceptionAsync(() => job.WaitAsync(watchdog));
        Assert.True(job.IsCompleted);
        var stats = await pool.GetStatsAsync().WaitAsync(watchdog);
        Assert.Equal(1, stats.Submitted);
        Assert.Equal(1, stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled);
        return stats;
    }
}
