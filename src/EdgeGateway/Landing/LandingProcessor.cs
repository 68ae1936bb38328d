using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Landing;

/// <summary>
/// Turns a landing's adapter frames into its summary: decode, validate, condition, accumulate.
/// The live serial path and capture replay both feed frames through this one class, so a replay
/// gives exactly the results of the live run that recorded it.
/// </summary>
public sealed class LandingProcessor
{
    /// <summary>Creates a processor for words decoded with <paramref name="table"/>.</summary>
    public LandingProcessor(LabelTable table)
    {
        Summary = new FlightSummaryBuilder(table);
    }

    /// <summary>The accumulating summary.</summary>
    public FlightSummaryBuilder Summary { get; }

    /// <summary>Processes a batch of frames in order. Allocation-free.</summary>
    public void Process(ReadOnlySpan<AdapterFrame> frames)
    {
        foreach (ref readonly var f in frames)
        {
            Summary.Add(f.TimestampMicros, f.Word, (f.Status & AdapterStatus.Overflow) != 0);
        }
    }

    /// <summary>Builds the summary with the frame layer's counters.</summary>
    public FlightSummary Complete(FlightIdentity flight, FrameReaderStats stats) =>
        Summary.Build(flight, new FrameCounters(stats.GoodFrames, stats.BadByteRuns, stats.BadBytes, stats.ChecksumFailures, stats.TruncatedTail));
}
