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
    public static ReplayResult Run(string path, LabelTable table) => Run(path, table, null);

    /// <summary>
    /// Replays the capture at <paramref name="path"/>; with <paramref name="analysis"/> the landing
    /// is also checked for exceedances and run through the models, and the summary carries the findings and alerts.
    /// </summary>
    /// <exception cref="InvalidDataException">The capture header is unreadable.</exception>
    public static ReplayResult Run(string path, LabelTable table, AnalysisSetup? analysis)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var reader = CaptureReader.Open(path);
        return Run(reader, table, analysis);
    }

    /// <summary>Replays from an open reader.</summary>
    public static ReplayResult Run(CaptureReader reader, LabelTable table, AnalysisSetup? analysis = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(table);
        var warnings = new List<string>();
        var h = reader.Header;
        if (!string.Equals(h.LabelTableSha256, table.Info.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add($"capture was recorded with label table '{h.LabelTableName}' (sha256 {h.LabelTableSha256}); decoding with '{table.Info.Name}' (sha256 {table.Info.Sha256})");
        }

        using var checks = analysis is null ? null : new LandingAnalysis(table, analysis, LandingProcessor.DefaultConditionedPeriod);
        using var processor = new LandingProcessor(table, sink: checks);
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
        if (checks is not null)
        {
            summary = checks.Complete(summary, processor.ClockFor(h.RecordingStartUtc));
        }

        return new ReplayResult(h, summary, warnings);
    }
}
