using Actorpool.Benchmarks.Cli;

// `compare [--quick] [--only a,b] [--list] [--json FILE]` runs the side-by-side mode; any other arguments go to
// BenchmarkDotNet (`--filter '*'`). `--help` lists both.
return BenchCommandLine.Run(args);
