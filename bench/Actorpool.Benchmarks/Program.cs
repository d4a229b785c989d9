using Actorpool.Benchmarks.Compare;
using BenchmarkDotNet.Running;

// `compare [--quick] [--only a,b] [--list]` runs the side-by-side mode; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare")
{
    return CompareRunner.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(CompareRunner).Assembly).Run(args);
return 0;
