namespace EdgeGateway.ModelLab.Cli;

/// <summary>Routes command words to their implementation.</summary>
internal static class Commands
{
    public static int Dispatch(string command, string? sub, CliArgs args, TextWriter stdout) => (command, sub) switch
    {
        ("train", "rul") => Rul.RulCommand.Train(args, stdout),
        ("keygen", _) => Packaging.PackageCommands.Keygen(args, stdout),
        ("release", _) => Packaging.PackageCommands.Release(args, stdout),
        ("verify", _) => Packaging.PackageCommands.Verify(args, stdout),
        ("reproduce", _) => Packaging.PackageCommands.Reproduce(args, stdout),
        _ => throw new LabException($"unknown command '{command}{(sub is null ? string.Empty : " " + sub)}'; run 'help' for the list"),
    };
}
