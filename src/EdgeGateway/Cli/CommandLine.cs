namespace EdgeGateway.Cli;

/// <summary>Dispatches the gateway's commands; returns the process exit code.</summary>
public static class CommandLine
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage:
          edgegateway replay <capture> [--summary-out FILE] [--table FILE]
          edgegateway listen --serial PORT [--baud N] [--silence SECONDS] [--tail T] [--flight F] [--table FILE] [--summary-out FILE]
          edgegateway arinc decode [--table FILE] HEXWORD...
        """;

    /// <summary>Runs the command named by <paramref name="args"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        switch (args)
        {
            case ["arinc", "decode", .. var rest]:
                return ArincDecodeCommand.Run(rest, output, error);
            case ["replay", .. var rest]:
                return ReplayCommand.Run(rest, output, error);
            case ["listen", .. var rest]:
                return ListenCommand.RunAsync(rest, output, error).GetAwaiter().GetResult();
            default:
                error.WriteLine(Usage);
                return ExitCodes.Usage;
        }
    }
}
