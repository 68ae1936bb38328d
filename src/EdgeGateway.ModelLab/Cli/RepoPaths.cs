namespace EdgeGateway.ModelLab.Cli;

/// <summary>Finds the repository root and the shared C-MAPSS folder from the working directory.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding EdgeGateway.sln above the working directory, or the working directory.</summary>
    public static string Root()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeGateway.sln")))
            {
                return d.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// The C-MAPSS folder: <c>EDGEGATEWAY_CMAPSS</c>, else the first <c>shared/data/cmapss</c>
    /// found walking up from the repository root.
    /// </summary>
    public static string? Cmapss()
    {
        if (Environment.GetEnvironmentVariable("EDGEGATEWAY_CMAPSS") is { Length: > 0 } env)
        {
            return env;
        }

        for (var d = new DirectoryInfo(Root()); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "shared", "data", "cmapss");
            if (Directory.Exists(p))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Path relative to the repository root when inside it, with forward slashes.</summary>
    public static string Relative(string path)
    {
        var full = Path.GetFullPath(path);
        var rel = Path.GetRelativePath(Root(), full);
        return (rel.StartsWith("..", StringComparison.Ordinal) ? full : rel).Replace('\\', '/');
    }
}
