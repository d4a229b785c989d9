// Placeholder until the issue that owns this example lands: the example's code lives in UpDownExample.Run,
// which tests/Actorpool.Examples.Tests runs to completion.
return Actorpool.Examples.UpDown.UpDownExample.Run(Console.Out);
