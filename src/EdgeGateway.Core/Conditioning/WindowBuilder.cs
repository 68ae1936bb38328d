namespace EdgeGateway.Core.Conditioning;

/// <summary>
/// Cuts model input windows from several conditioned channels on one fixed-rate grid: each window is
/// <see cref="LengthSamples"/> rows by <see cref="ChannelCount"/> columns, row-major (row = grid time,
/// column = channel in the configured order), and the next window starts <see cref="StrideSamples"/> later.
/// </summary>
/// <remarks>
/// <para>Alignment: samples are placed by grid index (the resampler's <c>FirstGridIndex</c>/<c>NextGridIndex</c>),
/// so channels resampled with the same period line up even when they start at different times. The first window
/// starts at the latest first grid index among the channels, once every channel has delivered something.</para>
/// <para>Gaps: a window holding any NaN (a gap, a missing stretch of a channel) is skipped and counted in
/// <see cref="WindowsSkipped"/>, never returned. A jump forward in a channel's grid index is a gap (NaN).</para>
/// <para>Memory: one ring of <c>capacitySamples</c> per channel, allocated by the constructor; <see cref="Append"/> and
/// <see cref="TryBuild"/> allocate nothing. A channel can run at most <c>capacitySamples</c> ahead of the next window
/// start; <see cref="Append"/> returns how many samples it took, so the caller builds windows and offers the rest
/// again. Not thread-safe.</para>
/// </remarks>
public sealed class WindowBuilder
{
    private readonly float[][] _rings;
    private readonly long[] _end; // one past the last grid index held, per channel
    private readonly bool[] _started;
    private readonly long[] _firstIndex;
    private readonly string[] _channels;
    private int _startedCount;
    private bool _originFixed;
    private long _nextStart;

    /// <summary>Creates the builder.</summary>
    /// <param name="lengthSamples">Rows per window (grid samples), at least 1.</param>
    /// <param name="strideSamples">Grid samples between the starts of consecutive windows, at least 1.</param>
    /// <param name="channelOrder">Channel names in the model's column order; distinct, at least one.</param>
    /// <param name="capacitySamples">Ring size per channel; 0 picks <c>max(4096, 4 x (length + stride))</c>; otherwise at least <c>length + stride</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">The channel list is empty or has duplicates.</exception>
    public WindowBuilder(int lengthSamples, int strideSamples, IReadOnlyList<string> channelOrder, int capacitySamples = 0)
    {
        ArgumentNullException.ThrowIfNull(channelOrder);
        if (lengthSamples < 1)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(lengthSamples), lengthSamples, "at least 1 sample");
        }

        if (strideSamples < 1)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(strideSamples), strideSamples, "at least 1 sample");
        }

        if (channelOrder.Count == 0)
        {
            ConditioningThrow.Argument(nameof(channelOrder), "at least one channel is needed");
        }

        if (channelOrder.Distinct(StringComparer.Ordinal).Count() != channelOrder.Count)
        {
            ConditioningThrow.Argument(nameof(channelOrder), $"channel names must be distinct: {string.Join(", ", channelOrder)}");
        }

        if (capacitySamples == 0)
        {
            capacitySamples = Math.Max(4096, 4 * (lengthSamples + strideSamples));
        }
        else if (capacitySamples < lengthSamples + strideSamples)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(capacitySamples), capacitySamples, $"0 (automatic) or at least length + stride = {lengthSamples + strideSamples}");
        }

        LengthSamples = lengthSamples;
        StrideSamples = strideSamples;
        CapacitySamples = capacitySamples;
        _channels = [.. channelOrder];
        _rings = new float[_channels.Length][];
        for (int c = 0; c < _rings.Length; c++)
        {
            _rings[c] = new float[capacitySamples];
        }

        _end = new long[_channels.Length];
        _started = new bool[_channels.Length];
        _firstIndex = new long[_channels.Length];
    }

    /// <summary>Rows per window.</summary>
    public int LengthSamples { get; }

    /// <summary>Grid samples between window starts.</summary>
    public int StrideSamples { get; }

    /// <summary>Ring size per channel.</summary>
    public int CapacitySamples { get; }

    /// <summary>Channel names in column order.</summary>
    public IReadOnlyList<string> Channels => _channels;

    /// <summary>Number of channels (columns).</summary>
    public int ChannelCount => _channels.Length;

    /// <summary>Floats in one window: <c>LengthSamples x ChannelCount</c>.</summary>
    public int WindowValues => LengthSamples * _channels.Length;

    /// <summary>Windows returned by <see cref="TryBuild"/>.</summary>
    public long WindowsBuilt { get; private set; }

    /// <summary>Windows skipped because they held NaN.</summary>
    public long WindowsSkipped { get; private set; }

    /// <summary>Grid index where the next window starts; meaningful once every channel has delivered.</summary>
    public long NextWindowStart => _nextStart;

    /// <summary>The column of channel <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such channel.</exception>
    public int ChannelIndex(string name)
    {
        int index = Array.IndexOf(_channels, name);
        if (index < 0)
        {
            ConditioningThrow.Argument(nameof(name), $"unknown channel '{name}'; configured: {string.Join(", ", _channels)}");
        }

        return index;
    }

    /// <summary>
    /// Adds grid samples of one channel: <paramref name="samples"/>[i] is at grid index <paramref name="firstGridIndex"/> + i.
    /// Samples before the channel's end (already held, or before the next window start) are ignored; a jump forward leaves
    /// NaN in between. Returns how many samples were taken (ignored ones included); fewer than offered when the ring is full.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not a column.</exception>
    public int Append(int channel, long firstGridIndex, ReadOnlySpan<float> samples)
    {
        if ((uint)channel >= (uint)_channels.Length)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(channel), channel, $"a column from 0 to {_channels.Length - 1}");
        }

        if (samples.IsEmpty)
        {
            return 0;
        }

        if (!_started[channel])
        {
            _started[channel] = true;
            _firstIndex[channel] = firstGridIndex;
            _end[channel] = firstGridIndex;
            if (++_startedCount == _channels.Length)
            {
                FixOrigin();
            }
        }

        long low = Low(channel);
        long end = Math.Max(_end[channel], low);
        var ring = _rings[channel];
        long capacity = ring.Length;

        // NaN for a jump forward, as far as the ring allows. The slot is tracked, not recomputed: a 64-bit
        // modulo per sample would cost more than the copy.
        long limit = low + capacity;
        int slot = Slot(end);
        while (end < firstGridIndex && end < limit)
        {
            ring[slot] = float.NaN;
            slot = slot + 1 == ring.Length ? 0 : slot + 1;
            end++;
        }

        int taken = 0;
        if (end >= firstGridIndex)
        {
            long skip = Math.Min(end - firstGridIndex, samples.Length);
            taken = (int)skip;
            int count = (int)Math.Min(samples.Length - taken, limit - end);
            var source = samples.Slice(taken, count);
            int first = Math.Min(count, ring.Length - slot);
            source[..first].CopyTo(ring.AsSpan(slot));
            source[first..].CopyTo(ring);
            taken += count;
            end += count;
        }

        _end[channel] = end;
        return taken;
    }

    /// <summary>
    /// Writes the next window that is complete and free of NaN into <paramref name="window"/> (at least
    /// <see cref="WindowValues"/> floats), skipping and counting windows with NaN. Returns false when no complete
    /// window is available yet.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="window"/> is too short.</exception>
    public bool TryBuild(Span<float> window, out long startGridIndex)
    {
        if (window.Length < WindowValues)
        {
            ConditioningThrow.Argument(nameof(window), $"window holds {window.Length} floats; {WindowValues} are needed");
        }

        startGridIndex = 0;
        int columns = _channels.Length;
        while (_originFixed)
        {
            long start = _nextStart;
            long stop = start + LengthSamples;
            for (int c = 0; c < columns; c++)
            {
                if (_end[c] < stop)
                {
                    return false;
                }
            }

            bool hasNaN = false;
            int first = Slot(start);
            for (int c = 0; c < columns; c++)
            {
                var ring = _rings[c];
                int slot = first;
                for (int r = 0; r < LengthSamples; r++)
                {
                    float v = ring[slot];
                    slot = slot + 1 == ring.Length ? 0 : slot + 1;
                    hasNaN |= float.IsNaN(v);
                    window[(r * columns) + c] = v;
                }
            }

            _nextStart = start + StrideSamples;
            if (hasNaN)
            {
                WindowsSkipped++;
                continue;
            }

            WindowsBuilt++;
            startGridIndex = start;
            return true;
        }

        return false;
    }

    /// <summary>Forgets every channel's data and the window origin; counters are kept.</summary>
    public void Reset()
    {
        Array.Clear(_end);
        Array.Clear(_started);
        _startedCount = 0;
        _originFixed = false;
        _nextStart = 0;
    }

    private void FixOrigin()
    {
        long origin = long.MinValue;
        foreach (long first in _firstIndex)
        {
            origin = Math.Max(origin, first);
        }

        _originFixed = true;
        _nextStart = origin;
    }

    /// <summary>Oldest grid index a channel must keep: its own start until the origin is fixed, then the next window start.</summary>
    private long Low(int channel) => _originFixed ? _nextStart : _firstIndex[channel];

    private int Slot(long gridIndex)
    {
        long m = gridIndex % _rings[0].Length;
        return (int)(m < 0 ? m + _rings[0].Length : m);
    }
}
