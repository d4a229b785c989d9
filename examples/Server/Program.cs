// poolio's server on an actor pool: see ServerExample.Run, which tests/Actorpool.Examples.Tests runs to completion.
return Actorpool.Examples.Server.ServerExample.Run(Console.Out);
