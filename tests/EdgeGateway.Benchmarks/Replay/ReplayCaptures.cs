using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Benchmarks.Replay;

/// <summary>
/// Two-engine captures for the replay benchmarks: every label of the shipped A320 table at its
/// expected rate, values moving smoothly, written once per length into the temp folder and reused.
/// </summary>
internal static class ReplayCaptures
{
    public static string TablePath { get; } = FindTable();

    public static LabelTable Table { get; } = LabelTableLoader.Load(TablePath);

    /// <summary>Returns the path of a capture <paramref name="hours"/> long, writing it when missing.</summary>
    public static string Get(double hours)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgegateway-bench-{hours:0.##}h-{Table.Info.Sha256[..8]}.cap");
        if (!File.Exists(path))
        {
            Write(path + ".tmp", hours);
            File.Move(path + ".tmp", path, overwrite: true);
        }

        return path;
    }

    private static void Write(string path, double hours)
    {
        var table = Table;
        var header = new CaptureHeader("F-BNCH", table.Info.AircraftType, "BENCH1", table.Info.Name, table.Info.Sha256, "bench", "1", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var w = CaptureWriter.Create(path, header);
        var channels = table.Channels;
        var periods = channels.Select(c => (ulong)(1_000_000 / c.Entry.ExpectedRateHz)).ToArray();
        var next = new ulong[channels.Length];
        ulong end = (ulong)(hours * 3600e6);
        // Merge the channels' schedules in time order: a 10 ms tick is finer than any label period.
        for (ulong t = 0; t < end; t += 10_000)
        {
            for (int c = 0; c < channels.Length; c++)
            {
                if (next[c] > t)
                {
                    continue;
                }

                next[c] += periods[c];
                var f = channels[c].Field;
                double mid = (f.ValidMin + f.ValidMax) / 2, amp = (f.ValidMax - f.ValidMin) / 4;
                double v = f.Encoding == ArincEncoding.Bcd ? 123 : mid + (amp * Math.Sin((t / 1e6 / 600.0) + c));
                w.Write(new AdapterFrame((byte)(channels[c].EnginePosition - 1), t, table.Encode(c, v), AdapterStatus.HighSpeed));
            }
        }
    }

    private static string FindTable()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeGateway.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "firmware-config", "label-tables", "a320-cfm56-5b.json");
    }
}
