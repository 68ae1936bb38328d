namespace EdgeGateway.Simulator.Cli;

/// <summary>A command line that cannot be run: the message says what is wrong; the exit code is 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without detail.</summary>
    public UsageException()
        : this("invalid command line")
    {
    }
}
