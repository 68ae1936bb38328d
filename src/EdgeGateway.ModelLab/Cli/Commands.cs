namespace EdgeGateway.ModelLab.Cli;

/// <summary>Routes command words to their implementation.</summary>
internal static class Commands
{
    public static int Dispatch(string command, string? sub, CliArgs args, TextWriter stdout) => (command, sub) switch
    {
        _ => throw new LabException($"unknown command '{command}{(sub is null ? string.Empty : " " + sub)}'; run 'help' for the list"),
    };
}
