namespace Actorpool.Actors.Supervision;

/// <summary>The cause of a Kill when a crash loop used up the pool's <see cref="RestartBudget"/>; the last failure is the inner exception.</summary>
public sealed class RestartBudgetExceededException : Exception
{
    /// <summary>Creates the exception for <paramref name="budget"/>, with the failure that exceeded it.</summary>
    public RestartBudgetExceededException(RestartBudget budget, Exception innerException)
        : base($"Restart budget exhausted: more than {budget.MaxRestarts} restarts within {budget.Window}. Last failure: {innerException.Message}", innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public RestartBudgetExceededException()
        : base("Restart budget exhausted.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RestartBudgetExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RestartBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
