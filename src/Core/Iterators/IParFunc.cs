namespace Actorpool.Iterators;

/// <summary>
/// A function as a value type, for <see cref="ParQuery{T}.Select{TResult, TFunc}(TFunc)"/> and
/// <see cref="ParQuery{T}.Where{TPredicate}(TPredicate)"/>: the query is compiled for the struct, so each element
/// costs a direct call that the JIT can inline, where a lambda costs a delegate call. It must be safe to call
/// from several threads at once (each unit works on its own copy).
/// </summary>
public interface IParFunc<in T, out TResult>
{
    /// <summary>The function's value for <paramref name="item"/>.</summary>
    TResult Invoke(T item);
}
