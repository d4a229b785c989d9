using Actorpool.Iterators;

namespace Actorpool.Benchmarks.Iterators;

/// <summary>The query benchmarks' delegates as struct functors: x * 3, not a multiple of 7, and int to long.</summary>
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

    internal readonly struct ToLong : IParFunc<int, long>
    {
        public long Invoke(int item) => item;
    }
}
