// Placeholder until the issue that owns this example lands: the example's code lives in DbStateExample.Run,
// which tests/Actorpool.Examples.Tests runs to completion.
return Actorpool.Examples.DbState.DbStateExample.Run(Console.Out);
