using Actorpool.Examples.ClusterPool;

// dotnet run --project examples/ClusterPool
//   starts three cluster nodes on 127.0.0.1 as three processes (this one and two it launches), submits jobs from this
//   one, kills one of the others mid-run, and prints what each node did and what became of every job.
return args is ["worker", var seed, var name]
    ? await WorkerNode.RunAsync(seed, name, Console.Out)
    : await ClusterPoolExample.RunAsync(Console.Out);
