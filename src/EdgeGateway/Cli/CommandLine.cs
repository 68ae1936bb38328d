namespace EdgeGateway.Cli;

/// <summary>Dispatches the gateway's commands; returns the process exit code.</summary>
public static class CommandLine
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage:
          edgegateway replay <capture> [--summary-out FILE] [--conditioned-out CSV] [--table FILE] [ANALYSIS]
          edgegateway listen --serial PORT [--baud N] [--silence SECONDS] [--tail T] [--flight F] [--table FILE] [--summary-out FILE] [ANALYSIS]
          edgegateway arinc decode [--table FILE] HEXWORD...

        ANALYSIS: [--models DIR] [--trusted-keys DIR] [--limits DIR] [--history FILE]
          --models DIR        model packages (default models/); a refused package is reported and skipped
          --trusted-keys DIR  public keys (*.pem) packages must be signed with (default firmware-config/trusted-keys/)
          --limits DIR        exceedance limits per engine type (default firmware-config/exceedance-limits/)
          --history FILE      engine history database (SQLite) for trend snapshots and RUL (default: none)
        --conditioned-out CSV: the conditioned 1 Hz grid per engine the models see (time_s, engine, parameters;
          an empty cell is a gap), the model lab's training input
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
