// A first app on the packed packages (run by .ci/pack-check): a pool spawned from an ActorSystem runs jobs and
// drains, then every package README's example runs. Exits 1 on a wrong answer; an exception exits non-zero too.
using Actorpool.Actors.Pools;
using Akka.Actor;

using (var system = ActorSystem.Create("consumer", "akka.loglevel = WARNING"))
{
    var pool = system.SpawnPool(new PoolOptions<int[]> { Name = "squares", Workers = 2, Init = _ => new int[1] });
    var jobs = Enumerable.Range(1, 100).Select(i => pool.RunAsync(scratch => scratch[0] = i * i)).ToArray();
    var sum = (await Task.WhenAll(jobs)).Sum();
    var report = await pool.DrainAsync(TimeSpan.FromSeconds(10));
    await system.Terminate();
    Console.WriteLine($"pool: sum of squares 1..100 = {sum}, completed {report.Completed}, deadline reached: {report.DeadlineReached}");
    if (sum != 338_350 || report.Completed != 100 || report.DeadlineReached)
    {
        Console.Error.WriteLine("consumer: the pool gave a wrong answer (expected 338350, 100 completed, no deadline)");
        return 1;
    }
}

foreach (var (package, run) in ReadmeExamples.All)
{
    Console.WriteLine($"-- {package} README example");
    await run();
}

Console.WriteLine("consumer: ok");
return 0;
