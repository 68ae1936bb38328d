namespace EdgeGateway.Cli;

/// <summary>Where the gateway finds its shipped configuration when none is given.</summary>
internal static class DefaultPaths
{
    /// <summary>The shipped example label table, copied beside the executable at build time.</summary>
    public static string LabelTable => Path.Combine(AppContext.BaseDirectory, "firmware-config", "label-tables", "a320-cfm56-5b.json");
}
