namespace Actorpool.Testing;

/// <summary>
/// The exception an injected fault throws (from a job, or from <c>Init</c>, where the pool wraps it in a
/// <c>WorkerInitException</c>): its message and <see cref="Fault"/> name the fault, so a spec can tell it from a real failure.
/// </summary>
public sealed class InjectedFaultException : Exception
{
    /// <summary>Creates the exception for <paramref name="fault"/>, with a message naming it.</summary>
    public InjectedFaultException(InjectedFault fault)
        : base($"Injected fault {fault}: the test's FaultPlan made this {(fault.Kind == FaultKind.FailInit ? "Init" : "job")} throw on purpose.")
    {
        ArgumentNullException.ThrowIfNull(fault);
        Fault = fault;
    }

    /// <summary>Creates the exception with a default message and no <see cref="Fault"/>.</summary>
    public InjectedFaultException()
        : base("Injected fault: the test's FaultPlan made this throw on purpose.")
    {
    }

    /// <summary>Creates the exception with a message and no <see cref="Fault"/>.</summary>
    public InjectedFaultException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message, a cause and no <see cref="Fault"/>.</summary>
    public InjectedFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The fault that threw; <c>null</c> only when made with one of the general-purpose constructors.</summary>
    public InjectedFault? Fault { get; }
}
