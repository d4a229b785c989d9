using System.Reflection;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Dynamic;
using Actorpool.Hosting;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actorpool.Reliability.Tests.BadInput;

/// <summary>
/// Every time-valued option of every public options type, found by reflection (so a new one cannot be forgotten),
/// fed zero, negative, one tick, <see cref="Timeout.InfiniteTimeSpan"/>, 50 days and <see cref="TimeSpan.MaxValue"/>.
/// Each value is either rejected with an exception that names the option, or accepted and then behaves: a short run
/// with a job, stats and a stop ends within the watchdog, the job gets exactly one outcome and no actor is left behind.
/// </summary>
public sealed class TimeOptionSweepTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private static readonly (string Name, TimeSpan Value)[] Values =
    [
        ("zero", TimeSpan.Zero),
        ("negative", TimeSpan.FromSeconds(-1)),
        ("one tick", TimeSpan.FromTicks(1)),
        ("infinite", Timeout.InfiniteTimeSpan),
        ("50 days", TimeSpan.FromDays(50)),
        ("max", TimeSpan.MaxValue),
    ];

    // How each options type is exercised: given the option's name and value, run a short life and throw on misbehaviour.
    private static readonly Dictionary<Type, Func<string, TimeSpan, Task<Verdict>>> Runners = new()
    {
        [typeof(PoolOptions<>)] = RunPoolOptionAsync,
        [typeof(RestartBudget)] = RunRestartBudgetAsync,
        [typeof(WorkStealingPoolOptions)] = RunWorkStealingAsync,
        [typeof(DynamicPoolOptions)] = RunDynamicAsync,
        [typeof(ActorpoolOptions)] = (name, value) => RunHostAsync(name, value),
        [typeof(Hosting.Configuration.PanicSettings)] = (name, value) => RunHostAsync("Pools:a:Panic:" + name, value),
        [typeof(Hosting.Configuration.PoolSettings)] = (name, value) => RunHostAsync("Pools:a:" + name, value),
        [typeof(DrainPool)] = (name, value) => RunPoolAsync(Options(), name, pool => pool.Ref.Ask<PoolStopReport>(new DrainPool(value), Watchdog)),
        [typeof(StopPool)] = (name, value) => RunPoolAsync(Options(), name, pool => pool.Ref.Ask<PoolStopReport>(new StopPool(value), Watchdog)),
    };

    // Time-valued arguments of public methods that start timers, swept the same way.
    private static readonly Dictionary<string, Func<TimeSpan, Task<Verdict>>> Arguments = new()
    {
        ["PoolRef.DrainAsync(deadline)"] = value => RunPoolAsync(Options(), "deadline", pool => pool.DrainAsync(value)),
        ["PoolRef.StopAsync(deadline)"] = value => RunPoolAsync(Options(), "deadline", pool => pool.StopAsync(value)),
        ["PoolRef.RunAsync(timeout)"] = RunJobTimeoutAsync,
    };

    private enum Verdict
    {
        Rejected,
        Accepted,
    }

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (type, option) in TimeOptions())
        {
            foreach (var (name, _) in Values)
            {
                data.Add(type.Name, option, name);
            }
        }

        foreach (var argument in Arguments.Keys)
        {
            foreach (var (name, _) in Values)
            {
                data.Add("argument", argument, name);
            }
        }

        return data;
    }

    [Fact]
    public void EveryPublicTypeWithATimeOption_HasARunner()
    {
        var found = TimeOptions().Select(t => t.Type).Distinct().ToList();

        Assert.All(found, type => Assert.True(Runners.ContainsKey(type), $"{type.Name} has time options but no runner in this sweep"));
        Assert.Contains(typeof(PoolOptions<>), found); // the reflection finds what it must (a sweep of nothing cannot fail)
        Assert.True(found.Count >= Runners.Count, $"found only {string.Join(", ", found.Select(t => t.Name))}");
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Cases))]
    public async Task TimeOption_IsRejectedNamingIt_OrBehaves(string type, string option, string valueName)
    {
        var value = Values.Single(v => v.Name == valueName).Value;
        var verdict = type == "argument"
            ? await Arguments[option](value).WaitAsync(Watchdog)
            : await Runners[TimeOptions().First(t => t.Type.Name == type).Type](option, value).WaitAsync(Watchdog);

        // Negative values other than "none" are never meaningful: they must be rejected, not accepted silently.
        if (value < TimeSpan.Zero)
        {
            Assert.Equal(Verdict.Rejected, verdict);
        }
    }

    /// <summary>Public options types (and their time options): properties with a setter, and constructor parameters.</summary>
    private static IEnumerable<(Type Type, string Option)> TimeOptions()
    {
        var assemblies = new[] { typeof(WorkStealingPool).Assembly, typeof(PoolOptions<>).Assembly, typeof(ActorpoolOptions).Assembly };
        foreach (var type in assemblies.SelectMany(a => a.GetExportedTypes()).Where(t => t.IsClass).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => IsTime(p.PropertyType) && p.SetMethod is { IsPublic: true })
                .Select(p => p.Name);
            var parameters = type.GetConstructors()
                .SelectMany(c => c.GetParameters())
                .Where(p => IsTime(p.ParameterType))
                .Select(p => p.Name!);
            foreach (var option in properties.Concat(parameters).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                yield return (type, option);
            }
        }
    }

    private static bool IsTime(Type type) => type == typeof(TimeSpan) || type == typeof(TimeSpan?);

    private static PoolOptions<int> Options() => new()
    {
        Name = "sweep",
        Init = static i => i,
        Scale = _ => Dynamic.Scale.Active(1), // so that the scale interval and cache period reach the supervisor
    };

    private static Task<Verdict> RunPoolOptionAsync(string option, TimeSpan value)
    {
        PoolOptions<int> options;
        try
        {
            options = With(Options(), option, value);
        }
        catch (ArgumentException e)
        {
            return Task.FromResult(Rejected(e, option));
        }

        return RunPoolAsync(options, option, pool => pool.DrainAsync(TimeSpan.FromSeconds(10)));
    }

    private static Task<Verdict> RunRestartBudgetAsync(string option, TimeSpan value)
    {
        RestartBudget budget;
        try
        {
            budget = option == "window" ? new RestartBudget(3, value) : With(new RestartBudget(3, TimeSpan.FromMinutes(1)), option, value);
        }
        catch (ArgumentException e)
        {
            return Task.FromResult(Rejected(e, option));
        }

        // One failing job makes the budget (window, backoff) count and delay a restart before the next job runs.
        return RunPoolAsync(Options() with { Panic = PanicPolicy.Respawn(budget) }, option, pool => pool.DrainAsync(TimeSpan.FromSeconds(10)), failFirst: true);
    }

    private static async Task<Verdict> RunPoolAsync(PoolOptions<int> options, string option, Func<PoolRef<int>, Task<PoolStopReport>> stop, bool failFirst = false)
    {
        var system = ActorSystem.Create("sweep", "akka.loglevel = OFF");
        try
        {
            PoolRef<int> pool;
            try
            {
                pool = system.SpawnPool(options);
            }
            catch (ArgumentException e)
            {
                return Rejected(e, option);
            }

            var jobs = new List<Task>();
            if (failFirst)
            {
                jobs.Add(pool.RunAsync<int>(int (_) => throw new InvalidOperationException("planned failure")));
            }

            jobs.Add(pool.RunAsync(s => s + 1));
            await pool.GetStatsAsync().WaitAsync(Watchdog);
            Task<PoolStopReport> stopping;
            try
            {
                stopping = stop(pool);
            }
            catch (ArgumentException e)
            {
                await pool.StopAsync().WaitAsync(Watchdog);
                return Rejected(e, option);
            }

            var stopped = stopping.IsFaulted && stopping.Exception!.InnerException is ArgumentException bad ? bad : null;
            if (stopped is not null)
            {
                await pool.StopAsync().WaitAsync(Watchdog);
                return Rejected(stopped, option);
            }

            await stopping.WaitAsync(Watchdog);
            foreach (var job in jobs)
            {
                await Record.ExceptionAsync(() => job.WaitAsync(Watchdog)); // any outcome, but one, within the watchdog
                Assert.True(job.IsCompleted);
            }

            await pool.Completion.WaitAsync(Watchdog);
            var identity = await system.ActorSelection(pool.Ref.Path).Ask<ActorIdentity>(new Identify(1), Watchdog);
            Assert.Null(identity.Subject); // no zombie pool
            var stats = await pool.GetStatsAsync();
            Assert.Equal(jobs.Count, stats.Submitted);
            Assert.Equal(stats.Submitted, stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled);
            return Verdict.Accepted;
        }
        finally
        {
            await system.Terminate().WaitAsync(Watchdog);
        }
    }

    /// <summary>A job with its own timeout: refused naming it, or run to one outcome within the watchdog.</summary>
    private static async Task<Verdict> RunJobTimeoutAsync(TimeSpan value)
    {
        var system = ActorSystem.Create("sweep", "akka.loglevel = OFF");
        try
        {
            var pool = system.SpawnPool(Options());
            Task<int> job;
            try
            {
                job = pool.RunAsync(async (s, token) => await Task.FromResult(s + 1), timeout: value);
            }
            catch (ArgumentException e)
            {
                await pool.StopAsync().WaitAsync(Watchdog);
                return Rejected(e, "timeout");
            }

            await Record.ExceptionAsync(() => job.WaitAsync(Watchdog)); // completed, or cancelled by a tiny timeout
            Assert.True(job.IsCompleted);
            await pool.DrainAsync().WaitAsync(Watchdog);
            var stats = await pool.GetStatsAsync();
            Assert.Equal((1, 1), (stats.Submitted, stats.Completed + stats.Cancelled));
            return Verdict.Accepted;
        }
        finally
        {
            await system.Terminate().WaitAsync(Watchdog);
        }
    }

    private static async Task<Verdict> RunWorkStealingAsync(string option, TimeSpan value)
    {
        WorkStealingPool pool;
        try
        {
            pool = new WorkStealingPool(With(new WorkStealingPoolOptions { Threads = 2 }, option, value));
        }
        catch (ArgumentException e)
        {
            return Rejected(e, option);
        }

        await Task.Run(() =>
        {
            using (pool)
            {
                var handle = pool.Spawn(() => 1);
                var (a, b) = pool.Join(() => 2, () => 3);
                Assert.Equal(6, handle.Join() + a + b);
            }
        }).WaitAsync(Watchdog);
        return Verdict.Accepted;
    }

    private static async Task<Verdict> RunDynamicAsync(string option, TimeSpan value)
    {
        DynamicPoolOptions options;
        try
        {
            options = With(DynamicPoolOptions.Default, option, value);
        }
        catch (ArgumentException e)
        {
            return Rejected(e, option);
        }

        var calls = 0;
        var system = DynamicSystem.FunctionWorker(_ => () =>
        {
            Interlocked.Increment(ref calls);
            Thread.Sleep(1);
            return Decision.Again;
        }).WithThreads(1);
        try
        {
            var handle = DynamicPool.StartBackground(system, options);
            var deadline = DateTime.UtcNow + Watchdog;
            while (Volatile.Read(ref calls) < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }

            handle.RequestShutdown();
            await handle.Completion.WaitAsync(Watchdog);
        }
        catch (ArgumentException e)
        {
            return Rejected(e, option);
        }

        Assert.True(calls >= 3, $"the worker ran {calls} times");
        return Verdict.Accepted;
    }

    private static async Task<Verdict> RunHostAsync(string key, TimeSpan value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Actorpool:" + key] = value.ToString("c"),
            ["Actorpool:Hocon"] = "akka.loglevel = OFF",
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddActorpool(pools => pools
            .BindConfiguration()
            .AddPool<int>("a", options => options with { Init = i => i, Workers = 1 }));
        using var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(Watchdog);
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            var messages = string.Join(" | ", Expect.Chain(e).Select(x => x.Message));
            Assert.Contains("Actorpool:" + key, messages, StringComparison.Ordinal);
            return Verdict.Rejected;
        }

        await Expect.OneJobThroughStopAsync(host, Watchdog);
        return Verdict.Accepted;
    }

    private static Verdict Rejected(ArgumentException e, string option)
    {
        var named = e.ParamName == option || e.Message.Contains(option, StringComparison.OrdinalIgnoreCase);
        Assert.True(named, $"The rejection must name '{option}', was: {e.Message} (parameter {e.ParamName})");
        return Verdict.Rejected;
    }

    /// <summary>A copy of the record <paramref name="options"/> with the property <paramref name="option"/> set (its init accessor runs).</summary>
    private static T With<T>(T options, string option, TimeSpan value)
        where T : class
    {
        var clone = (T)typeof(T).GetMethod("<Clone>$")!.Invoke(options, null)!;
        try
        {
            typeof(T).GetProperty(option)!.SetValue(clone, value);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw inner;
        }

        // Records validate when used (SpawnPool, the pool's constructor); properties with checks in init threw above.
        return clone;
    }

}
