// The ParallelQuery example: one pipeline run by Par, PLINQ and LINQ side by side (see ParallelQueryExample);
// tests/Actorpool.Examples.Tests runs it to completion on a smaller input.
return Actorpool.Examples.ParallelQuery.ParallelQueryExample.Run(Console.Out);
