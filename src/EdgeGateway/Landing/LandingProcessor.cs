using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Conditioning;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Landing;

/// <summary>
/// Turns a landing's adapter frames into its summary: decode, validate, condition, accumulate.
/// The live serial path and capture replay both feed frames through this one class, so a replay
/// gives exactly the results of the live run that recorded it.
/// </summary>
public sealed class LandingProcessor : IDisposable
{
    /// <summary>Rate of the conditioned grid when none is given (the model lab trains at this rate).</summary>
    public static readonly TimeSpan DefaultConditionedPeriod = TimeSpan.FromSeconds(1);

    private readonly ChannelConditioner?[] _conditioners;

    /// <summary>Creates a processor for words decoded with <paramref name="table"/>.</summary>
    /// <param name="table">Label table.</param>
    /// <param name="conditionedPeriod">Grid period of conditioned output; <see cref="DefaultConditionedPeriod"/> when null.</param>
    /// <param name="sink">Receives conditioned values (model windows); none when null.</param>
    public LandingProcessor(LabelTable table, TimeSpan? conditionedPeriod = null, IConditionedSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        Summary = new FlightSummaryBuilder(table);
        _conditioners = new ChannelConditioner?[table.Channels.Length];
        foreach (var c in table.Channels)
        {
            // Serial-number digits are identifiers, not signals.
            if (c.Field.Encoding == ArincEncoding.Bcd)
            {
                continue;
            }

            var options = ConditioningFor(c, conditionedPeriod ?? DefaultConditionedPeriod);
            _conditioners[c.Id] = new ChannelConditioner(c.Id, options, sink);
        }
    }

    /// <summary>
    /// The conditioning of a channel: Hampel (window 7, 3 sigma, deviations below one resolution
    /// step never count: quantised bus data often has a MAD of zero) then resampling to the grid;
    /// a hole longer than the label's staleness timeout is a gap (NaN), never interpolated across.
    /// </summary>
    public static ConditioningOptions ConditioningFor(Channel channel, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ConditioningOptions
        {
            HampelMinDeviation = (float)channel.Field.Resolution,
            Resample = new ResampleOptions { OutputPeriod = period, MaxGap = channel.Entry.StaleAfter },
        };
    }

    /// <summary>Adapter timestamp of the first frame, or null before any.</summary>
    public ulong? FirstTimestampMicros { get; private set; }

    /// <summary>
    /// Maps grid indices of the conditioned grid to wall-clock time: the grid counts periods from the
    /// adapter clock's zero, and <paramref name="recordingStartUtc"/> is the wall-clock time of the first frame.
    /// </summary>
    public GridClock ClockFor(DateTimeOffset recordingStartUtc, TimeSpan? conditionedPeriod = null) =>
        new(recordingStartUtc - TimeSpan.FromMicroseconds(FirstTimestampMicros ?? 0), conditionedPeriod ?? DefaultConditionedPeriod);

    /// <summary>The accumulating summary.</summary>
    public FlightSummaryBuilder Summary { get; }

    /// <summary>Processes a batch of frames in order. Allocation-free.</summary>
    public void Process(ReadOnlySpan<AdapterFrame> frames)
    {
        if (FirstTimestampMicros is null && !frames.IsEmpty)
        {
            FirstTimestampMicros = frames[0].TimestampMicros;
        }

        foreach (ref readonly var f in frames)
        {
            var values = Summary.Add(f.TimestampMicros, f.Word, (f.Status & AdapterStatus.Overflow) != 0);
            foreach (ref readonly var v in values)
            {
                _conditioners[v.ChannelId]?.Add(f.TimestampMicros, v.Value);
            }
        }
    }

    /// <summary>
    /// Pushes every channel's buffered samples through its conditioning chain now, without ending the
    /// landing, so the sink sees grid points as soon as the chain can produce them. The live session
    /// calls it after each batch read from the adapter; replay does not (batching is faster and the
    /// conditioned output is the same for any chunking). Allocation-free.
    /// </summary>
    public void Flush()
    {
        foreach (var c in _conditioners)
        {
            c?.Flush();
        }
    }

    /// <summary>Builds the summary with the frame layer's counters.</summary>
    public FlightSummary Complete(FlightIdentity flight, FrameReaderStats stats)
    {
        for (int id = 0; id < _conditioners.Length; id++)
        {
            if (_conditioners[id] is { } c)
            {
                c.Complete();
                Summary.SetSpikes(id, c.SpikesReplaced);
            }
        }

        return Summary.Build(flight, new FrameCounters(stats.GoodFrames, stats.BadByteRuns, stats.BadBytes, stats.ChecksumFailures, stats.TruncatedTail));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var c in _conditioners)
        {
            c?.Dispose();
        }
    }
}
