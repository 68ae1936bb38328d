using System.Buffers;

namespace EdgeGateway.Core.Conditioning;

/// <summary>Counters of a conditioning run.</summary>
/// <param name="SpikesReplaced">Samples the Hampel stage replaced.</param>
/// <param name="Resample">The resampling stage's counters (gaps, dropped samples, NaN outputs).</param>
public readonly record struct ConditioningStats(long SpikesReplaced, ResampleStats Resample);

/// <summary>The result of a one-shot <see cref="ConditioningChain.Run"/>.</summary>
/// <param name="Written">Grid values written.</param>
/// <param name="FirstGridIndex">Grid index of <c>output[0]</c> (time <c>FirstGridIndex x OutputPeriod</c> ticks).</param>
/// <param name="Stats">Counters.</param>
public readonly record struct ConditioningResult(int Written, long FirstGridIndex, ConditioningStats Stats);

/// <summary>
/// One channel's conditioning, streaming: Hampel -> optional smoothing -> resampling with gap handling, as
/// configured by <see cref="ConditioningOptions"/>. The concatenated output of every <see cref="Process"/> and
/// the <see cref="Flush"/> equals <see cref="Run"/> on the whole stream, bit for bit, for any chunking.
/// </summary>
/// <remarks>
/// <para>Latency: the Hampel stage holds back <c>HampelWindowSamples / 2</c> input samples, the resampler
/// up to one input interval; the smoothing stages add none.</para>
/// <para>Memory: the constructor rents three buffers of about <c>maxChunkSamples</c> from
/// <see cref="ArrayPool{T}.Shared"/>; <see cref="Dispose"/> returns them. <see cref="Process"/> and
/// <see cref="Flush"/> allocate nothing. Input longer than <c>maxChunkSamples</c> is taken in pieces within
/// one call. Not thread-safe: one chain per channel.</para>
/// <para>Output space: as with <see cref="Resampler"/>, a call that fills <c>output</c> returns
/// <see cref="OperationStatus.DestinationTooSmall"/> with <c>consumed</c> telling how much input it took;
/// call again with the rest.</para>
/// </remarks>
public sealed class ConditioningChain : IDisposable
{
    /// <summary>Default largest piece of input processed at once.</summary>
    public const int DefaultMaxChunkSamples = 4096;

    private readonly HampelFilter? _hampel;
    private readonly MovingAverageFilter? _movingAverage;
    private readonly EmaFilter? _ema;
    private readonly int _maxChunk;
    private ResamplerCore _resampler;

    // Timestamps of the Hampel stage's output: [0, _stageCount) go with _stageValues; the next _heldCount
    // belong to samples the Hampel filter still holds back.
    private long[] _stageTicks;
    private float[] _stageValues;
    private int _stageCount;
    private int _stagePosition;
    private int _heldCount;
    private bool _flushing;
    private bool _disposed;

    /// <summary>Creates the chain.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the message names it), or <paramref name="maxChunkSamples"/> is below 1.</exception>
    public ConditioningChain(ConditioningOptions options, int maxChunkSamples = DefaultMaxChunkSamples)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (maxChunkSamples < 1)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(maxChunkSamples), maxChunkSamples, "at least 1");
        }

        Options = options;
        _maxChunk = maxChunkSamples;
        if (options.HampelWindowSamples != 0)
        {
            _hampel = new HampelFilter(options.HampelWindowSamples, options.HampelSigmas, options.HampelMinDeviation);
        }

        if (options.Smoothing == Smoothing.MovingAverage)
        {
            _movingAverage = new MovingAverageFilter(options.MovingAverageWindowSamples);
        }
        else if (options.Smoothing == Smoothing.Ema)
        {
            _ema = new EmaFilter(options.EmaAlpha);
        }

        _resampler = new ResamplerCore(options.Resample);
        int capacity = maxChunkSamples + (options.HampelWindowSamples / 2);
        _stageTicks = ArrayPool<long>.Shared.Rent(capacity);
        _stageValues = ArrayPool<float>.Shared.Rent(capacity);
    }

    /// <summary>The settings.</summary>
    public ConditioningOptions Options { get; }

    /// <summary>Time between output samples.</summary>
    public TimeSpan OutputPeriod => Options.Resample.OutputPeriod;

    /// <summary>Grid index of the next value to be written (time <c>index x OutputPeriod</c>); meaningful once <see cref="HasStarted"/>.</summary>
    public long NextGridIndex => _resampler.NextGridIndex;

    /// <summary>Grid index of the first value of the current stream (after <see cref="Flush"/>: of the stream just flushed).</summary>
    public long FirstGridIndex => _resampler.FirstGridIndex;

    /// <summary>True once a valid sample has reached the resampler and fixed the start of the grid run.</summary>
    public bool HasStarted => _resampler.Started;

    /// <summary>Counters since construction.</summary>
    public ConditioningStats Stats => new(_hampel?.ReplacedCount ?? 0, _resampler.Stats);

    /// <summary>
    /// An upper bound of the values <see cref="Run"/> writes for these samples: the grid points from the first to
    /// the last sample that is not NaN.
    /// </summary>
    public static int GetMaxOutputLength(ReadOnlySpan<long> timestampTicks, ReadOnlySpan<float> values, ConditioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long period = options.Resample.OutputPeriod.Ticks;
        long first = 0;
        long last = long.MinValue;
        bool any = false;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                continue;
            }

            if (!any)
            {
                any = true;
                first = timestampTicks[i];
            }

            first = Math.Min(first, timestampTicks[i]);
            last = Math.Max(last, timestampTicks[i]);
        }

        return any ? (int)Math.Clamp(ResamplerCore.FloorDiv(last, period) - ResamplerCore.CeilDiv(first, period) + 1, 0, int.MaxValue) : 0;
    }

    /// <summary>
    /// Conditions a whole stream in one call into <paramref name="output"/>, which needs <see cref="GetMaxOutputLength"/>
    /// values. Builds a chain for the call (a few small objects and pooled buffers, returned before it returns).
    /// </summary>
    /// <exception cref="ArgumentException">The input spans differ in length or the output is too short.</exception>
    public static ConditioningResult Run(ConditioningOptions options, ReadOnlySpan<long> timestampTicks, ReadOnlySpan<float> values, Span<float> output)
    {
        using var chain = new ConditioningChain(options);
        var status = chain.Process(timestampTicks, values, output, out _, out int written);
        int flushed = 0;
        if (status == OperationStatus.Done)
        {
            status = chain.Flush(output[written..], out flushed);
        }

        if (status != OperationStatus.Done)
        {
            ConditioningThrow.Argument(nameof(output), $"output holds {output.Length} values; GetMaxOutputLength gives {GetMaxOutputLength(timestampTicks, values, options)}");
        }

        return new ConditioningResult(written + flushed, chain.FirstGridIndex, chain.Stats);
    }

    /// <summary>
    /// Conditions the next chunk of (timestamp in ticks, value) samples into <paramref name="output"/>.
    /// Returns <see cref="OperationStatus.Done"/> when all input was consumed, or
    /// <see cref="OperationStatus.DestinationTooSmall"/> when <paramref name="output"/> filled first.
    /// </summary>
    /// <exception cref="ArgumentException">The two input spans differ in length.</exception>
    /// <exception cref="InvalidOperationException">A <see cref="Flush"/> is unfinished.</exception>
    public OperationStatus Process(ReadOnlySpan<long> timestampTicks, ReadOnlySpan<float> values, Span<float> output, out int consumed, out int written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (timestampTicks.Length != values.Length)
        {
            ConditioningThrow.Argument(nameof(values), $"values holds {values.Length} samples and timestampTicks {timestampTicks.Length}; they must match");
        }

        if (_flushing)
        {
            throw new InvalidOperationException("Flush returned DestinationTooSmall; call Flush again until it returns Done before new input.");
        }

        consumed = 0;
        written = 0;
        while (true)
        {
            if (!DrainStage(output, ref written))
            {
                return OperationStatus.DestinationTooSmall;
            }

            if (consumed == values.Length)
            {
                return OperationStatus.Done;
            }

            int m = Math.Min(_maxChunk, values.Length - consumed);
            Stage(timestampTicks.Slice(consumed, m), values.Slice(consumed, m));
            consumed += m;
        }
    }

    /// <summary>
    /// Writes everything still held (the Hampel end edge, the grid point at the last sample) and resets the chain for
    /// a new stream (counters are kept). Returns <see cref="OperationStatus.DestinationTooSmall"/> when more room is
    /// needed: call again until <see cref="OperationStatus.Done"/>.
    /// </summary>
    public OperationStatus Flush(Span<float> output, out int written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        written = 0;
        if (!DrainStage(output, ref written))
        {
            return OperationStatus.DestinationTooSmall;
        }

        if (!_flushing)
        {
            _flushing = true;
            if (_hampel is not null)
            {
                MoveHeldToFront();
                int w = _hampel.Flush(_stageValues);
                Smooth(_stageValues.AsSpan(0, w));
                _stageCount = w;
                _stagePosition = 0;
                _heldCount = 0;
                if (!DrainStage(output, ref written))
                {
                    return OperationStatus.DestinationTooSmall;
                }
            }
        }

        var status = _resampler.Flush(output[written..], out int flushed);
        written += flushed;
        if (status != OperationStatus.Done)
        {
            return status;
        }

        _movingAverage?.Reset();
        _ema?.Reset();
        _flushing = false;
        return OperationStatus.Done;
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<long>.Shared.Return(_stageTicks);
        ArrayPool<float>.Shared.Return(_stageValues);
        _stageTicks = [];
        _stageValues = [];
    }

    private bool DrainStage(Span<float> output, ref int written)
    {
        if (_stagePosition >= _stageCount)
        {
            return true;
        }

        var status = _resampler.Process(
            _stageTicks.AsSpan(_stagePosition, _stageCount - _stagePosition),
            _stageValues.AsSpan(_stagePosition, _stageCount - _stagePosition),
            output[written..],
            out int consumed,
            out int w);
        _stagePosition += consumed;
        written += w;
        return status == OperationStatus.Done;
    }

    private void Stage(ReadOnlySpan<long> ticks, ReadOnlySpan<float> values)
    {
        MoveHeldToFront();
        ticks.CopyTo(_stageTicks.AsSpan(_heldCount));
        int w;
        if (_hampel is null)
        {
            values.CopyTo(_stageValues);
            w = values.Length;
        }
        else
        {
            w = _hampel.Process(values, _stageValues);
        }

        Smooth(_stageValues.AsSpan(0, w));
        _heldCount = _heldCount + ticks.Length - w;
        _stageCount = w;
        _stagePosition = 0;
    }

    private void Smooth(Span<float> values)
    {
        _movingAverage?.Process(values, values);
        _ema?.Process(values, values);
    }

    private void MoveHeldToFront()
    {
        if (_stageCount > 0 && _heldCount > 0)
        {
            _stageTicks.AsSpan(_stageCount, _heldCount).CopyTo(_stageTicks);
        }

        _stageCount = 0;
        _stagePosition = 0;
    }
}
