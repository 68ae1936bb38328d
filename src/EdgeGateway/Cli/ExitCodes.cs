namespace EdgeGateway.Cli;

/// <summary>Process exit codes of the command line.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A runtime failure (I/O, corrupt input that stopped the command).</summary>
    public const int Failure = 1;

    /// <summary>Wrong arguments.</summary>
    public const int Usage = 2;

    /// <summary>Configuration (label table, options) is invalid.</summary>
    public const int Config = 3;
}
