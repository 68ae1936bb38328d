using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Landing;

/// <summary>Result of replaying a capture.</summary>
/// <param name="Header">The capture's header.</param>
/// <param name="Summary">The flight summary.</param>
/// <param name="Warnings">Things a person should know (table mismatch, truncation).</param>
public sealed record ReplayResult(CaptureHeader Header, FlightSummary Summary, IReadOnlyList<string> Warnings);

/// <summary>Replays a recorded landing through the <see cref="LandingProcessor"/>, in constant memory.</summary>
public static class CaptureReplay
{
    /// <summary>Frames read per batch.</summary>
    public const int BatchFrames = 4096;

    /// <summary>Replays the capture at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The capture header is unreadable.</exception>
    public static ReplayResult Run(string path, LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var reader = CaptureReader.Open(path);
        return Run(reader, table);
    }

    /// <summary>Replays from an open reader.</summary>
    public static ReplayResult Run(CaptureReader reader, LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(table);
        var warnings = new List<string>();
        var h = reader.Header;
        if (!string.Equals(h.LabelTableSha256, table.Info.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add($"capture was recorded with label table '{h.LabelTableName}' (sha256 {h.LabelTableSha256}); decoding with '{table.Info.Name}' (sha256 {table.Info.Sha256})");
        }

        using var processor = new LandingProcessor(table);
        var buffer = new AdapterFrame[BatchFrames];
        int n;
        while ((n = reader.Read(buffer)) > 0)
        {
            processor.Process(buffer.AsSpan(0, n));
        }

        if (reader.IsTruncated)
        {
            warnings.Add($"capture is cut off mid-frame: replayed up to the cut ({reader.Stats.TruncatedTailBytes} trailing bytes ignored)");
        }

        var summary = processor.Complete(new FlightIdentity(h.TailNumber, h.AircraftType, h.FlightId, h.RecordingStartUtc), reader.Stats);
        return new ReplayResult(h, summary, warnings);
    }
}
