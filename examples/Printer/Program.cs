// The Printer example: a dynamic pool that scales itself (see PrinterExample); tests/Actorpool.Examples.Tests
// runs it to completion.
return Actorpool.Examples.Printer.PrinterExample.Run(Console.Out);
