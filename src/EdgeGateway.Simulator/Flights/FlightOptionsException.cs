namespace EdgeGateway.Simulator.Flights;

/// <summary>Flight options that cannot produce a flight; every problem is listed.</summary>
public sealed class FlightOptionsException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public FlightOptionsException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with one problem.</summary>
    public FlightOptionsException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    public FlightOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception without detail.</summary>
    public FlightOptionsException()
        : this("invalid flight options")
    {
    }

    /// <summary>One line per problem.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
