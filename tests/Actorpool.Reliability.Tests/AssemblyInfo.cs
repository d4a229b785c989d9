// Coyote tests flip process-wide planted-bug switches and measure process CPU time: run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
