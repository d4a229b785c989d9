using Actorpool.Iterators;

namespace Actorpool.Benchmarks.Iterators;

/// <summary>The Select.Where pipeline of the query benchmarks as struct functors (x * 3, then not a multiple of 7).</summary>
internal static class QueryFunctors
{
    internal readonly struct Triple : IParFunc<long, long>
    {
        public long Invoke(long item) => item * 3;
    }

    internal readonly struct NotMultipleOf7 : IParFunc<long, bool>
    {
        public bool Invoke(long item) => item % 7 != 0;
    }
}
