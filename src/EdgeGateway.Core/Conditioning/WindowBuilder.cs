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
/// <para>Stand-ins: a column given a stand-in (<see cref="SetStandIn"/>) is optional. A window where an optional
/// column holds a gap, or has not arrived when every required column is <c>patienceSamples</c> past the window's end,
/// or is still missing at <see cref="StopWaiting"/>, is built with every optional column replaced by
/// <c>scale x source + offset</c> (see <see cref="StandIn"/>) and counted in <see cref="WindowsWithStandIn"/>, instead
/// of being skipped. The origin waits for the optional columns by the same rule; given up on, it is the required
/// columns' latest start. The anomaly scorer uses it for the other engine's channels: a dead sensor on that engine
/// must not stop this engine's scoring.</para>
/// </remarks>
public sealed class WindowBuilder
{
    private readonly float[][] _rings;
    private readonly long[] _end; // one past the last grid index held, per channel
    private readonly bool[] _started;
    private readonly long[] _firstIndex;
    private readonly string[] _channels;
    private readonly int[] _standInSource; // -1: the column is required
    private readonly double[] _standInScale;
    private readonly double[] _standInOffset;
    private int _patience;
    private bool _stopWaiting;
    private int _required;
    private int _startedCount;
    private int _optionalStarted;
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
        _standInSource = new int[_channels.Length];
        Array.Fill(_standInSource, -1);
        _standInScale = new double[_channels.Length];
        _standInOffset = new double[_channels.Length];
        _required = _channels.Length;
    }

    /// <summary>
    /// Makes <paramref name="column"/> optional: where it (or another optional column) holds a gap in a window whose
    /// required columns are complete, or is still missing when every required column is <paramref name="patienceSamples"/>
    /// past the window's end (or at <see cref="StopWaiting"/>), the window is built with the whole column replaced by
    /// <see cref="StandIn"/>(<paramref name="source"/>'s value, <paramref name="scale"/>, <paramref name="offset"/>).
    /// Call before the first <see cref="Append"/>. With several optional columns the largest patience applies.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is out of range, or the patience is negative.</exception>
    /// <exception cref="ArgumentException">The column is its own source, the source is optional itself, the column already has a stand-in or is a source, the scale or offset is not finite.</exception>
    /// <exception cref="InvalidOperationException">Samples were appended already.</exception>
    public void SetStandIn(int column, int source, double scale, double offset, int patienceSamples)
    {
        if ((uint)column >= (uint)_channels.Length)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(column), column, $"a column from 0 to {_channels.Length - 1}");
        }

        if ((uint)source >= (uint)_channels.Length)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(source), source, $"a column from 0 to {_channels.Length - 1}");
        }

        if (patienceSamples < 0)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(patienceSamples), patienceSamples, "0 or more samples");
        }

        if (column == source || _standInSource[source] >= 0 || _standInSource[column] >= 0 || Array.IndexOf(_standInSource, column) >= 0)
        {
            ConditioningThrow.Argument(nameof(source), $"'{_channels[source]}' cannot stand in for '{_channels[column]}': a column stands in for one other, required column, once");
        }

        if (!double.IsFinite(scale) || !double.IsFinite(offset))
        {
            ConditioningThrow.Argument(nameof(scale), $"stand-in for '{_channels[column]}': scale {scale} and offset {offset} must be finite");
        }

        if (_originFixed || Array.IndexOf(_started, true) >= 0)
        {
            throw new InvalidOperationException("stand-ins are set before the first sample is appended");
        }

        _standInSource[column] = source;
        _standInScale[column] = scale;
        _standInOffset[column] = offset;
        _patience = Math.Max(_patience, patienceSamples);
        _required--;
    }

    /// <summary>The value a stand-in column takes: <c>(float)(source x scale + offset)</c>, in double; the model lab uses the same.</summary>
    public static float StandIn(float source, double scale, double offset) => (float)((source * scale) + offset);

    /// <summary>
    /// Stops waiting for optional columns (see <see cref="SetStandIn"/>): from now on a window is built as soon as its
    /// required columns are complete, with a stand-in for an optional column that has not arrived. For the end of the data.
    /// </summary>
    public void StopWaiting() => _stopWaiting = true;

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

    /// <summary>Windows built with at least one optional column replaced by its stand-in (see <see cref="SetStandIn"/>); counted in <see cref="WindowsBuilt"/> too.</summary>
    public long WindowsWithStandIn { get; private set; }

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
            if (_standInSource[channel] < 0)
            {
                _startedCount++;
            }
            else
            {
                _optionalStarted++;
            }

            TryFixOrigin();
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
        TryFixOrigin();
        while (_originFixed)
        {
            long start = _nextStart;
            long stop = start + LengthSamples;
            long requiredEnd = RequiredEnd();
            if (requiredEnd < stop)
            {
                return false;
            }

            bool giveUp = _stopWaiting || requiredEnd - stop >= _patience;
            for (int c = 0; c < columns; c++)
            {
                if (_standInSource[c] >= 0 && _end[c] < stop && !giveUp)
                {
                    return false;
                }
            }

            bool hasNaN = false;
            bool standIn = false;
            int first = Slot(start);
            for (int c = 0; c < columns; c++)
            {
                var ring = _rings[c];
                bool optional = _standInSource[c] >= 0;
                // An optional column read only up to what it holds: past its end the ring holds old data.
                int held = optional ? (int)Math.Clamp(_end[c] - start, 0, LengthSamples) : LengthSamples;
                bool gap = held < LengthSamples || (optional && _firstIndex[c] > start);
                int slot = first;
                for (int r = 0; r < held; r++)
                {
                    float v = ring[slot];
                    slot = slot + 1 == ring.Length ? 0 : slot + 1;
                    gap |= float.IsNaN(v);
                    window[(r * columns) + c] = v;
                }

                if (optional)
                {
                    standIn |= gap;
                }
                else
                {
                    hasNaN |= gap;
                }
            }

            _nextStart = start + StrideSamples;
            if (hasNaN)
            {
                WindowsSkipped++;
                continue;
            }

            if (standIn)
            {
                // The optional columns stand in together: a window missing one is built without any.
                for (int c = 0; c < columns; c++)
                {
                    if (_standInSource[c] >= 0)
                    {
                        int source = _standInSource[c];
                        double scale = _standInScale[c], offset = _standInOffset[c];
                        for (int r = 0; r < LengthSamples; r++)
                        {
                            window[(r * columns) + c] = StandIn(window[(r * columns) + source], scale, offset);
                        }
                    }
                }

                WindowsWithStandIn++;
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
        _optionalStarted = 0;
        _originFixed = false;
        _stopWaiting = false;
        _nextStart = 0;
    }

    // The origin is the latest first grid index among the columns once all have delivered. An
    // optional column is waited for as long as a window is (the required columns patience past the
    // first window's end, or StopWaiting); the origin is then the required columns' latest start and
    // an optional column that has not started starts empty there: what it sends later lands at its
    // grid index, with a gap before it.
    private void TryFixOrigin()
    {
        if (_originFixed || _startedCount < _required)
        {
            return;
        }

        bool all = _optionalStarted == _channels.Length - _required;
        if (!all && !_stopWaiting && RequiredEnd() - (LatestStart(requiredOnly: true) + LengthSamples) < _patience)
        {
            return;
        }

        long origin = LatestStart(requiredOnly: !all);
        _originFixed = true;
        _nextStart = origin;
        for (int c = 0; c < _channels.Length; c++)
        {
            if (_standInSource[c] >= 0 && !_started[c])
            {
                _started[c] = true;
                _firstIndex[c] = origin;
                _end[c] = origin;
            }
        }
    }

    // One past the last grid index every required column holds.
    private long RequiredEnd()
    {
        long end = long.MaxValue;
        for (int c = 0; c < _channels.Length; c++)
        {
            if (_standInSource[c] < 0)
            {
                end = Math.Min(end, _end[c]);
            }
        }

        return end;
    }

    // The latest first grid index among the required columns, or among all columns.
    private long LatestStart(bool requiredOnly)
    {
        long latest = long.MinValue;
        for (int c = 0; c < _channels.Length; c++)
        {
            if (!requiredOnly || _standInSource[c] < 0)
            {
                latest = Math.Max(latest, _firstIndex[c]);
            }
        }

        return latest;
    }

    /// <summary>Oldest grid index a channel must keep: its own start until the origin is fixed, then the next window start.</summary>
    private long Low(int channel) => _originFixed ? _nextStart : _firstIndex[channel];

    private int Slot(long gridIndex)
    {
        long m = gridIndex % _rings[0].Length;
        return (int)(m < 0 ? m + _rings[0].Length : m);
    }
}
