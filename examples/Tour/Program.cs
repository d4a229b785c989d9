// The tour: the product in one run (see TourExample); tests/Actorpool.Examples.Tests runs it both ways.
// `--json` also prints the summary as JSON.
using Actorpool.Examples.Tour;

var console = TourExample.CreateConsole(Console.Out, interactive: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null);
return TourExample.Run(console, args);
