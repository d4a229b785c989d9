namespace Actorpool.Cluster.Pools;

/// <summary>
/// A job failed on another node: exceptions do not cross nodes as objects, so this carries the original's type
/// name, message and stack trace as text, and the node it ran on.
/// </summary>
public sealed class RemoteJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteJobException(string message)
        : base(message)
    {
        RemoteType = "";
        RemoteStackTrace = "";
        Node = "";
    }

    /// <summary>Creates the exception for a failure of type <paramref name="remoteType"/> on <paramref name="node"/>.</summary>
    public RemoteJobException(string remoteType, string remoteMessage, string remoteStackTrace, string node)
        : base($"{remoteType} on {node}: {remoteMessage}")
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
        Node = node;
    }

    /// <summary>Creates the exception.</summary>
    public RemoteJobException()
        : this("A job failed on another node.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RemoteJobException(string message, Exception innerException)
        : base(message, innerException)
    {
        RemoteType = "";
        RemoteStackTrace = "";
        Node = "";
    }

    /// <summary>The full name of the exception type thrown where the job ran.</summary>
    public string RemoteType { get; }

    /// <summary>Its stack trace there.</summary>
    public string RemoteStackTrace { get; }

    /// <summary>The address of the node the job ran on.</summary>
    public string Node { get; }
}

/// <summary>An at-most-once job's node was lost while it held the job: it may or may not have run.</summary>
public sealed class NodeLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NodeLostException()
        : base("The node running the job was lost.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public NodeLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NodeLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
