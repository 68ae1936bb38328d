using System.Buffers;
using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Landing;

/// <summary>Receives each channel's conditioned, resampled values as they are produced.</summary>
public interface IConditionedSink
{
    /// <summary>
    /// <paramref name="values"/> are grid points <paramref name="firstGridIndex"/>.. of the channel's
    /// fixed-rate grid (time = index x output period from the adapter clock's zero); NaN marks a gap.
    /// The span is only valid during the call.
    /// </summary>
    void OnConditioned(int channelId, long firstGridIndex, ReadOnlySpan<float> values);
}

/// <summary>
/// Buffers one channel's decoded samples and runs them through its <see cref="ConditioningChain"/>
/// a batch at a time (a chain call per sample would cost more than the decode). Buffers are
/// allocated once; steady-state processing allocates nothing.
/// </summary>
internal sealed class ChannelConditioner : IDisposable
{
    private const int BatchSamples = 1024;

    // Grid points emitted per chain call; when a batch yields more (a long silence), the chain
    // reports DestinationTooSmall and the loops below drain it in pieces.
    private const int OutputRoom = 4096;

    private readonly int _channelId;
    private readonly ConditioningChain _chain;
    private readonly long[] _ticks = new long[BatchSamples];
    private readonly float[] _values = new float[BatchSamples];
    private readonly float[] _output;
    private readonly IConditionedSink? _sink;
    private int _count;

    public ChannelConditioner(int channelId, ConditioningOptions options, IConditionedSink? sink)
    {
        _channelId = channelId;
        _chain = new ConditioningChain(options, BatchSamples);
        _sink = sink;
        _output = new float[OutputRoom];
    }

    public long SpikesReplaced => _chain.Stats.SpikesReplaced;

    public void Add(ulong timestampMicros, double value)
    {
        _ticks[_count] = (long)timestampMicros * TimeSpan.TicksPerMicrosecond;
        _values[_count] = (float)value;
        if (++_count == BatchSamples)
        {
            Drain();
        }
    }

    /// <summary>
    /// Runs what is buffered through the chain without ending its stream: the chain's output for any
    /// chunking is the same, so a live landing may call this after every read and still produce
    /// exactly what a batched replay produces. Only the chain's own hold-back (Hampel half-window,
    /// one input interval) stays behind.
    /// </summary>
    public void Flush() => Drain();

    /// <summary>Processes what is buffered and flushes the chain (end of the landing).</summary>
    public void Complete()
    {
        Drain();

        // A completed flush resets the chain's grid position, so the flushed tail is placed from
        // the position before the flush.
        long next = _chain.NextGridIndex;
        OperationStatus status;
        do
        {
            status = _chain.Flush(_output, out int written);
            if (written > 0 && _sink is not null)
            {
                _sink.OnConditioned(_channelId, next, _output.AsSpan(0, written));
            }

            next += written;
        }
        while (status == OperationStatus.DestinationTooSmall);
    }

    public void Dispose() => _chain.Dispose();

    private void Drain()
    {
        if (_count == 0)
        {
            return;
        }

        int offset = 0;
        while (offset < _count)
        {
            var status = _chain.Process(_ticks.AsSpan(offset, _count - offset), _values.AsSpan(offset, _count - offset), _output, out int consumed, out int written);
            offset += consumed;
            Emit(written);
            if (status == OperationStatus.Done)
            {
                break;
            }
        }

        _count = 0;
    }

    private void Emit(int written)
    {
        if (written > 0 && _sink is not null)
        {
            _sink.OnConditioned(_channelId, _chain.NextGridIndex - written, _output.AsSpan(0, written));
        }
    }
}
