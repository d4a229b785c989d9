// The scheduler tests start pools with dedicated threads; running them one class at a time keeps a 2-core
// machine from being oversubscribed by a dozen spinning pools at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
