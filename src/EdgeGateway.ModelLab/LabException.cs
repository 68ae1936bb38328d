namespace EdgeGateway.ModelLab;

/// <summary>
/// Bad input or a failed check that stops a command. The message names the file, the column or the
/// row so a person can act on it; the CLI prints it and exits with code 2.
/// </summary>
public sealed class LabException : Exception
{
    /// <summary>Creates the exception with a message that names what is wrong and where.</summary>
    public LabException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public LabException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message (required by the analyzers).</summary>
    public LabException()
    {
    }
}
