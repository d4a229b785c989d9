// scope-threadpool's per-worker connection state on an actor pool: see DbStateExample.Run, which
// tests/Actorpool.Examples.Tests runs to completion.
return Actorpool.Examples.DbState.DbStateExample.Run(Console.Out);
