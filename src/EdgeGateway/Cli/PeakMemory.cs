namespace EdgeGateway.Cli;

/// <summary>Reads the process's peak resident memory (Linux <c>VmHWM</c>), for the replay report.</summary>
internal static class PeakMemory
{
    /// <summary>Peak resident set size in bytes, or null where /proc is not available.</summary>
    public static long? PeakResidentBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
