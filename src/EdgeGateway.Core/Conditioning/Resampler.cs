using System.Buffers;

namespace EdgeGateway.Core.Conditioning;

/// <summary>How values between two input samples are formed on the output grid.</summary>
public enum Interpolation
{
    /// <summary>Straight line between the samples either side (computed in double, stored as float).</summary>
    Linear,

    /// <summary>The last sample at or before the grid point (sample-and-hold, zero-order hold).</summary>
    SampleAndHold,
}

/// <summary>What the grid points inside a gap (two valid samples further apart than the maximum gap) get.</summary>
public enum GapFill
{
    /// <summary>NaN for every grid point after the last sample before the gap.</summary>
    Nan,

    /// <summary>The last sample, for grid points up to <see cref="ResampleOptions.HoldLimit"/> after it; NaN after that.</summary>
    HoldLast,
}

/// <summary>
/// Resampling and gap-handling settings, shared by <see cref="Resampler"/>, <see cref="Resampling"/> and
/// <see cref="ConditioningOptions"/>. Timestamps are <see cref="TimeSpan"/> ticks (100 ns) on any epoch.
/// </summary>
public sealed record ResampleOptions
{
    /// <summary>Default <see cref="MaxGap"/>: 1 s.</summary>
    public static readonly TimeSpan DefaultMaxGap = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Time between output samples; the grid is every whole multiple of it from tick 0, so channels
    /// resampled with the same period line up sample for sample. Required, positive.
    /// </summary>
    public required TimeSpan OutputPeriod { get; init; }

    /// <summary>Linear (default) or sample-and-hold.</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Linear;

    /// <summary>
    /// Two consecutive valid samples further apart than this are a gap: the grid points between them are not
    /// interpolated but filled as <see cref="GapFill"/> says, and the gap is counted. Default 1 s; positive.
    /// </summary>
    public TimeSpan MaxGap { get; init; } = DefaultMaxGap;

    /// <summary>How a gap is filled: NaN (default) or hold-last up to <see cref="HoldLimit"/>.</summary>
    public GapFill GapFill { get; init; } = GapFill.Nan;

    /// <summary>With <see cref="GapFill.HoldLast"/>, how long after the last sample its value is held (inclusive); default 0, not negative.</summary>
    public TimeSpan HoldLimit { get; init; } = TimeSpan.Zero;

    /// <summary>The output rate in Hz (1 / <see cref="OutputPeriod"/>).</summary>
    public double OutputRateHz => TimeSpan.TicksPerSecond / (double)OutputPeriod.Ticks;

    /// <summary>A period of whole ticks for <paramref name="rateHz"/> (rounded to 100 ns).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive, not finite or above 10 MHz.</exception>
    public static TimeSpan PeriodFromRate(double rateHz)
    {
        if (!double.IsFinite(rateHz) || rateHz <= 0 || rateHz > TimeSpan.TicksPerSecond)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(rateHz), rateHz, "a rate in Hz above 0 and at most 10,000,000");
        }

        return TimeSpan.FromTicks((long)Math.Round(TimeSpan.TicksPerSecond / rateHz));
    }

    /// <summary>Throws naming the setting, its value and what is allowed when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (OutputPeriod <= TimeSpan.Zero)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(OutputPeriod), OutputPeriod, "a positive duration");
        }

        if (MaxGap <= TimeSpan.Zero)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(MaxGap), MaxGap, "a positive duration");
        }

        if (HoldLimit < TimeSpan.Zero)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(HoldLimit), HoldLimit, "a duration >= 0");
        }

        if (!Enum.IsDefined(Interpolation))
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(Interpolation), Interpolation, "Linear or SampleAndHold");
        }

        if (!Enum.IsDefined(GapFill))
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(GapFill), GapFill, "Nan or HoldLast");
        }
    }
}

/// <summary>Counters of a resampling run (cumulative for a streaming <see cref="Resampler"/>).</summary>
/// <param name="SamplesIn">Input samples offered.</param>
/// <param name="NonFiniteSamples">Input samples dropped for a NaN or infinite value (they make gaps, not values).</param>
/// <param name="OutOfOrderSamples">Input samples dropped because their timestamp was not after the last accepted one.</param>
/// <param name="SamplesOut">Grid points written.</param>
/// <param name="NanSamplesOut">Grid points written as NaN (inside gaps).</param>
/// <param name="GapCount">Intervals between consecutive valid samples longer than the maximum gap.</param>
/// <param name="GapDuration">Total length of those intervals.</param>
public readonly record struct ResampleStats(
    long SamplesIn,
    long NonFiniteSamples,
    long OutOfOrderSamples,
    long SamplesOut,
    long NanSamplesOut,
    long GapCount,
    TimeSpan GapDuration);

/// <summary>The state machine shared by <see cref="Resampler"/> and <see cref="Resampling"/>.</summary>
internal struct ResamplerCore
{
    private readonly long _period;
    private readonly long _maxGap;
    private readonly long _holdLimit;
    private readonly bool _linear;
    private readonly bool _hold;

    private bool _hasLeft;
    private long _leftTicks;
    private float _leftValue;
    private bool _hasRight; // an interval whose grid points are not all written yet
    private long _rightTicks;
    private float _rightValue;
    private bool _rightIsGap;
    private long _nextIndex;
    private long _firstIndex;
    private bool _started;

    private long _samplesIn;
    private long _nonFinite;
    private long _outOfOrder;
    private long _samplesOut;
    private long _nanOut;
    private long _gaps;
    private long _gapTicks;

    public ResamplerCore(ResampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _period = options.OutputPeriod.Ticks;
        _maxGap = options.MaxGap.Ticks;
        _holdLimit = options.HoldLimit.Ticks;
        _linear = options.Interpolation == Interpolation.Linear;
        _hold = options.GapFill == GapFill.HoldLast;
    }

    public readonly long NextGridIndex => _nextIndex;

    public readonly bool Started => _started;

    /// <summary>Grid index of the first grid point of the current (or, after a flush, the last) stream.</summary>
    public readonly long FirstGridIndex => _firstIndex;

    public readonly ResampleStats Stats => new(_samplesIn, _nonFinite, _outOfOrder, _samplesOut, _nanOut, _gaps, TimeSpan.FromTicks(_gapTicks));

    public OperationStatus Process(ReadOnlySpan<long> timestampTicks, ReadOnlySpan<float> values, Span<float> output, out int consumed, out int written)
    {
        if (timestampTicks.Length != values.Length)
        {
            ConditioningThrow.Argument(nameof(values), $"values holds {values.Length} samples and timestampTicks {timestampTicks.Length}; they must match");
        }

        consumed = 0;
        written = 0;
        if (_hasRight && !Drain(output, ref written))
        {
            return OperationStatus.DestinationTooSmall;
        }

        while (consumed < values.Length)
        {
            long t = timestampTicks[consumed];
            float v = values[consumed];
            consumed++;
            _samplesIn++;
            if (!float.IsFinite(v))
            {
                _nonFinite++;
                continue;
            }

            if (!_hasLeft)
            {
                _hasLeft = true;
                _leftTicks = t;
                _leftValue = v;
                if (!_started)
                {
                    _started = true;
                    _nextIndex = CeilDiv(t, _period);
                    _firstIndex = _nextIndex;
                }

                continue;
            }

            if (t <= _leftTicks)
            {
                _outOfOrder++;
                continue;
            }

            _hasRight = true;
            _rightTicks = t;
            _rightValue = v;
            _rightIsGap = t - _leftTicks > _maxGap;
            if (_rightIsGap)
            {
                _gaps++;
                _gapTicks += t - _leftTicks;
            }

            if (!Drain(output, ref written))
            {
                return OperationStatus.DestinationTooSmall;
            }
        }

        return OperationStatus.Done;
    }

    /// <summary>Writes the grid point at the last sample's own time, if it lies on the grid, and resets.</summary>
    public OperationStatus Flush(Span<float> output, out int written)
    {
        written = 0;
        if (_hasRight && !Drain(output, ref written))
        {
            return OperationStatus.DestinationTooSmall;
        }

        if (_hasLeft && _nextIndex * _period == _leftTicks)
        {
            if (written >= output.Length)
            {
                return OperationStatus.DestinationTooSmall;
            }

            output[written++] = _leftValue;
            _samplesOut++;
            _nextIndex++;
        }

        ResetStream();
        return OperationStatus.Done;
    }

    /// <summary>Forgets the stream but keeps the counters; the next sample starts a new grid run.</summary>
    public void ResetStream()
    {
        _hasLeft = false;
        _hasRight = false;
        _started = false;
        _nextIndex = 0;
    }

    /// <summary>Writes the grid points in [left, right); true when the interval is done and right became left.</summary>
    private bool Drain(Span<float> output, ref int written)
    {
        long span = _rightTicks - _leftTicks;
        while (true)
        {
            long t = _nextIndex * _period;
            if (t >= _rightTicks)
            {
                break;
            }

            if (written >= output.Length)
            {
                return false;
            }

            long since = t - _leftTicks;
            float value;
            if (_rightIsGap)
            {
                value = since == 0 || (_hold && since <= _holdLimit) ? _leftValue : float.NaN;
                if (float.IsNaN(value))
                {
                    _nanOut++;
                }
            }
            else if (_linear)
            {
                value = (float)(_leftValue + ((_rightValue - (double)_leftValue) * (since / (double)span)));
            }
            else
            {
                value = _leftValue;
            }

            output[written++] = value;
            _samplesOut++;
            _nextIndex++;
        }

        _hasRight = false;
        _leftTicks = _rightTicks;
        _leftValue = _rightValue;
        return true;
    }

    internal static long CeilDiv(long a, long b)
    {
        long q = Math.DivRem(a, b, out long r);
        return r > 0 ? q + 1 : q;
    }

    internal static long FloorDiv(long a, long b)
    {
        long q = Math.DivRem(a, b, out long r);
        return r < 0 ? q - 1 : q;
    }
}

/// <summary>
/// Streaming resampler with gap handling: takes irregular (timestamp, value) samples in chunks and writes
/// values on the fixed grid <c>k x OutputPeriod</c> (ticks from 0), bit-identical to
/// <see cref="Resampling.Resample"/> on the whole stream for any chunking.
/// </summary>
/// <remarks>
/// <para>Grid: the first grid point is the first at or after the first valid sample; grid point <c>k</c>
/// is written once a valid sample after it has arrived (latency: up to one input interval), or by
/// <see cref="Flush"/> when it falls exactly on the last sample. Nothing is extrapolated past the last sample.</para>
/// <para>Bad input: NaN/infinite values are dropped and counted (the time they cover becomes a gap if long
/// enough); a timestamp not after the last accepted one (a clock jump back, a duplicate) is dropped and counted.</para>
/// <para>Output space: a long gap can produce many grid points. When <c>output</c> fills up, the call returns
/// <see cref="OperationStatus.DestinationTooSmall"/> with the inputs consumed so far; call again with more room
/// (and the remaining input) to continue. Allocation-free.</para>
/// </remarks>
public sealed class Resampler
{
    private ResamplerCore _core;

    /// <summary>Creates the resampler.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the message names it).</exception>
    public Resampler(ResampleOptions options)
    {
        _core = new ResamplerCore(options);
        Options = options;
    }

    /// <summary>The settings.</summary>
    public ResampleOptions Options { get; }

    /// <summary>Grid index of the next sample to be written (its time is <c>index x OutputPeriod</c>); meaningful once <see cref="HasStarted"/>.</summary>
    public long NextGridIndex => _core.NextGridIndex;

    /// <summary>True once a valid sample has fixed the start of the grid run.</summary>
    public bool HasStarted => _core.Started;

    /// <summary>Grid index of the first value of the current stream (after <see cref="Flush"/>: of the stream just flushed).</summary>
    public long FirstGridIndex => _core.FirstGridIndex;

    /// <summary>Counters since construction.</summary>
    public ResampleStats Stats => _core.Stats;

    /// <summary>
    /// Consumes samples (timestamps in ticks, non-decreasing expected) and writes grid values to <paramref name="output"/>.
    /// Returns <see cref="OperationStatus.Done"/> when all input was consumed, or
    /// <see cref="OperationStatus.DestinationTooSmall"/> when <paramref name="output"/> filled first.
    /// </summary>
    /// <exception cref="ArgumentException">The two input spans differ in length.</exception>
    public OperationStatus Process(ReadOnlySpan<long> timestampTicks, ReadOnlySpan<float> values, Span<float> output, out int consumed, out int written) =>
        _core.Process(timestampTicks, values, output, out consumed, out written);

    /// <summary>
    /// Writes what is still pending (the grid point at the last sample, if on the grid) and resets for a new stream
    /// (counters are kept). Returns <see cref="OperationStatus.DestinationTooSmall"/> when more room is needed; call again.
    /// </summary>
    public OperationStatus Flush(Span<float> output, out int written) => _core.Flush(output, out written);
}

/// <summary>The result of a one-shot <see cref="Resampling.Resample"/>.</summary>
/// <param name="Written">Grid values written.</param>
/// <param name="FirstGridIndex">Grid index of <c>output[0]</c> (its time is <c>FirstGridIndex x OutputPeriod</c> ticks).</param>
/// <param name="Stats">Counters, including gaps.</param>
public readonly record struct ResampleResult(int Written, long FirstGridIndex, ResampleStats Stats);

/// <summary>One-shot resampling with gap handling (the rules are those of <see cref="Resampler"/>).</summary>
public static class Resampling
{
    /// <summary>
    /// The number of grid points the samples cover: from the first at or after the first valid sample to the last
    /// at or before the latest valid sample. <see cref="Resample"/> writes exactly this many.
    /// </summary>
    public static int GetOutputLength(ReadOnlySpan<long> timestampTicks, ReadOnlySpan<float> values, TimeSpan outputPeriod)
    {
        if (outputPeriod <= TimeSpan.Zero)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(outputPeriod), outputPeriod, "a positive duration");
        }

        long first = 0;
        long last = long.MinValue;
        bool any = false;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                continue;
            }

            if (!any)
            {
                any = true;
                first = timestampTicks[i];
            }

            last = Math.Max(last, timestampTicks[i]);
        }

        if (!any)
        {
            return 0;
        }

        long count = ResamplerCore.FloorDiv(last, outputPeriod.Ticks) - ResamplerCore.CeilDiv(first, outputPeriod.Ticks) + 1;
        return (int)Math.Clamp(count, 0, int.MaxValue);
    }

    /// <summary>
    /// Gap handling for a series already at a fixed rate (one sample per <c>options.OutputPeriod</c>): non-finite runs
    /// no longer than <c>options.MaxGap</c> are bridged (linear or sample-and-hold, as <c>options.Interpolation</c> says),
    /// longer runs are filled as <c>options.GapFill</c> says and counted. It is <see cref="Resample"/> on the
    /// timestamps <c>i x OutputPeriod</c>, so the results are the same bits. Non-finite samples before the first or after
    /// the last finite one have no sample on one side: they become NaN and are not counted as gaps.
    /// Writes <c>input.Length</c> values; allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException">The output is shorter than the input.</exception>
    public static ResampleStats FillGaps(ReadOnlySpan<float> input, Span<float> output, ResampleOptions options)
    {
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        var core = new ResamplerCore(options);
        long period = options.OutputPeriod.Ticks;
        int first = 0;
        while (first < input.Length && !float.IsFinite(input[first]))
        {
            first++;
        }

        // Grid point k is input sample k, so the resampler's output starts at the first finite sample and never
        // writes more values than samples read: the rest of the output always has room.
        Span<long> ticks = stackalloc long[256];
        int written = 0;
        for (int start = 0; start < input.Length; start += ticks.Length)
        {
            int n = Math.Min(ticks.Length, input.Length - start);
            for (int i = 0; i < n; i++)
            {
                ticks[i] = (start + i) * period;
            }

            core.Process(ticks[..n], input.Slice(start, n), output[Math.Min(first + written, input.Length)..], out _, out int w);
            written += w;
        }

        core.Flush(output[Math.Min(first + written, input.Length)..], out int flushed);
        written += flushed;
        output[..first].Fill(float.NaN);
        output[Math.Min(first + written, input.Length)..input.Length].Fill(float.NaN);
        return core.Stats;
    }

    /// <summary>
    /// Resamples (timestamp, value) samples onto the grid of <paramref name="options"/> into <paramref name="output"/>,
    /// which must hold <see cref="GetOutputLength"/> values. Allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException">The input spans differ in length or the output is too short.</exception>
    public static ResampleResult Resample(ReadOnlySpan<long> timestampTicks, ReadOnlySpan<float> values, Span<float> output, ResampleOptions options)
    {
        var core = new ResamplerCore(options);
        var status = core.Process(timestampTicks, values, output, out _, out int written);
        int flushed = 0;
        if (status == OperationStatus.Done)
        {
            status = core.Flush(output[written..], out flushed);
        }

        if (status != OperationStatus.Done)
        {
            ConditioningThrow.Argument(nameof(output), $"output holds {output.Length} values; {GetOutputLength(timestampTicks, values, options.OutputPeriod)} are needed (GetOutputLength)");
        }

        return new ResampleResult(written + flushed, core.FirstGridIndex, core.Stats);
    }
}
