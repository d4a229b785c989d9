// Placeholder until the issue that owns this example lands: the example's code lives in ServerExample.Run,
// which tests/Actorpool.Examples.Tests runs to completion.
return Actorpool.Examples.Server.ServerExample.Run(Console.Out);
