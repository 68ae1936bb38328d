namespace EdgeGateway.Crew;

/// <summary>A crew panel configuration that broke one or more rules; every problem is listed.</summary>
public sealed class CrewPanelConfigException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public CrewPanelConfigException(string file, IReadOnlyList<string> problems)
        : base($"crew panel config {file} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>Creates the exception with a single message.</summary>
    public CrewPanelConfigException()
        : this("(unknown)", ["unknown problem"])
    {
    }

    /// <summary>Creates the exception with a single message.</summary>
    public CrewPanelConfigException(string message)
        : this("(unknown)", [message])
    {
    }

    /// <summary>Creates the exception with a single message and its cause.</summary>
    public CrewPanelConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>The file (or other source) that was loaded.</summary>
    public string File { get; } = "(unknown)";

    /// <summary>One line per problem: the setting, its value and what is allowed.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
