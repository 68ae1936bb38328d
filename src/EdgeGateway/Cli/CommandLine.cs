namespace EdgeGateway.Cli;

/// <summary>Dispatches the gateway's commands.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage:
          edgegateway replay <capture> [--summary-out FILE] [--table FILE]
          edgegateway arinc decode [--table FILE] HEXWORD...
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        switch (args)
        {
            case ["arinc", "decode", .. var rest]:
                return ArincDecodeCommand.Run(rest, output, error);
            case ["replay", .. var rest]:
                return ReplayCommand.Run(rest, output, error);
            default:
                error.WriteLine(Usage);
                return ExitCodes.Usage;
        }
    }
}
