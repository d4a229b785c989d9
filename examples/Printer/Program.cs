// Placeholder until the issue that owns this example lands: the example's code lives in PrinterExample.Run,
// which tests/Actorpool.Examples.Tests runs to completion.
return Actorpool.Examples.Printer.PrinterExample.Run(Console.Out);
