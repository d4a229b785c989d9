using System.CommandLine;
using Actorpool.Benchmarks.Charts;
using Actorpool.Benchmarks.Compare;
using BenchmarkDotNet.ConsoleArguments;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;

namespace Actorpool.Benchmarks.Cli;

/// <summary>
/// The benchmark tool's command line: <c>compare</c> (the side-by-side mode) and <c>plot</c> (PNG charts of a
/// <c>compare --json</c> file) with their options, where an unknown option or a missing value is an error (exit 1);
/// any other command line goes to BenchmarkDotNet, which rejects what it does not know (exit 2). Results go to the output writer, progress and errors to the error writer.
/// </summary>
public static class BenchCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null) =>
        Create().Parse(args).Invoke(new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error });

    /// <summary>The command tree: the root hands its arguments to BenchmarkDotNet, <c>compare</c> runs the scenarios, <c>plot</c> draws their rows.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Actorpool benchmarks. `compare` runs the side-by-side scenarios, `plot` draws charts of their --json file; " +
            "any other arguments go to BenchmarkDotNet, " +
            "e.g. `--filter '*'` (its own help: `-- --help`).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(parse => RunBenchmarkDotNet([.. parse.UnmatchedTokens], parse.InvocationConfiguration.Error));

        var quick = new Option<bool>("--quick") { Description = "Fewer trials per system (3 instead of 7 for most scenarios) and smaller inputs." };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these scenarios (comma-separated, or the option repeated); `--list` names them.",
            HelpName = "a,b,c",
            CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        var list = new Option<bool>("--list") { Description = "List the scenarios with their metric and target; run nothing." };
        var json = new Option<FileInfo>("--json") { Description = "Also write the rows (medians, trials, ratios, targets) to this file as a JSON array.", HelpName = "FILE" };
        var compare = new Command("compare", "Runs each scenario's peers and Actorpool interleaved in this process; prints a Markdown table.")
        {
            quick,
            only,
            list,
            json,
        };
        compare.SetAction(parse =>
        {
            if (RejectUnmatched(parse, "compare"))
            {
                return 1;
            }

            return CompareRunner.Run(
                new CompareSettings
                {
                    Quick = parse.GetValue(quick),
                    Only = parse.GetResult(only) is null ? null : parse.GetValue(only),
                    List = parse.GetValue(list),
                    Json = parse.GetValue(json),
                },
                parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error);
        });
        root.Add(compare);
        root.Add(PlotCommand());
        return root;
    }

    private static Command PlotCommand()
    {
        var from = new Option<FileInfo>("--from")
        {
            Description = "The rows to draw: a file `compare --json FILE` wrote.",
            HelpName = "FILE",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The directory for the PNG files (created if missing): one per scenario, named after it, and summary.png.",
            HelpName = "DIR",
            DefaultValueFactory = _ => new DirectoryInfo("docs/img/bench"),
        };
        var plot = new Command("plot", $"Draws a {ChartWriter.Width}-pixel-wide PNG bar chart per scenario of a `compare --json` file: each system's ratio to the best peer.")
        {
            from,
            output,
        };
        plot.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (RejectUnmatched(parse, "plot"))
            {
                return 1;
            }

            try
            {
                var rows = ResultsFile.Read(parse.GetValue(from)!.FullName);
                ChartWriter.WriteAll(rows, parse.GetValue(output)!.FullName, error);
                return 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
            {
                error.WriteLine(ex.Message);
                return 1;
            }
        });
        return plot;
    }

    // The root lets unknown tokens through for BenchmarkDotNet, and System.CommandLine then lets them through for every
    // command; compare and plot take none.
    private static bool RejectUnmatched(ParseResult parse, string command)
    {
        if (parse.UnmatchedTokens.Count == 0)
        {
            return false;
        }

        parse.InvocationConfiguration.Error.WriteLine(
            $"Unrecognized argument(s) for {command}: {string.Join(" ", parse.UnmatchedTokens)}. See `{command} --help`.");
        return true;
    }

    private static int RunBenchmarkDotNet(string[] args, TextWriter error)
    {
        // BenchmarkSwitcher prints a bad argument's error and returns as if it had run nothing; check first, so that
        // a typo exits non-zero instead of running no benchmark. (Its parser also "fails" on a request for its help.)
        var parseLog = new AccumulationLogger();
        var wantsHelp = args.Any(a => a is "--help" or "-h" or "-?");
        if (args.Length > 0 && !wantsHelp && !ConfigParser.Parse(args, parseLog).isSuccess)
        {
            error.Write(parseLog.GetLog());
            error.WriteLine("BenchmarkDotNet did not accept these arguments (see above); `compare --help` lists the side-by-side mode's.");
            return 2;
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchCommandLine).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}
