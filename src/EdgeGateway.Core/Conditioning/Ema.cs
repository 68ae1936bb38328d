namespace EdgeGateway.Core.Conditioning;

/// <summary>
/// Exponential moving average, one shot: the first finite sample starts the average
/// (<c>y = x</c>), then <c>y = y + alpha * (x - y)</c> in float. A non-finite sample gives NaN and leaves
/// the average untouched, so the next finite sample continues from it. No output latency; the time
/// constant is <c>-period / ln(1 - alpha)</c>, see <see cref="AlphaFor"/>.
/// </summary>
public static class Ema
{
    /// <summary>Smooths <paramref name="input"/> into <paramref name="output"/> (at least as long; may be the same span). Allocation-free.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not in (0, 1].</exception>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, float alpha)
    {
        CheckAlpha(alpha);
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        var state = new EmaState(alpha);
        state.Process(input, output);
    }

    /// <summary>
    /// The smoothing factor that gives a time constant of <paramref name="timeConstant"/> at one sample per
    /// <paramref name="samplePeriod"/>: <c>alpha = 1 - exp(-samplePeriod / timeConstant)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Either duration is not positive.</exception>
    public static float AlphaFor(TimeSpan timeConstant, TimeSpan samplePeriod)
    {
        if (timeConstant <= TimeSpan.Zero)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(timeConstant), timeConstant, "a positive duration");
        }

        if (samplePeriod <= TimeSpan.Zero)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(samplePeriod), samplePeriod, "a positive duration");
        }

        return (float)(1.0 - Math.Exp(-samplePeriod.Ticks / (double)timeConstant.Ticks));
    }

    internal static void CheckAlpha(float alpha)
    {
        if (!(alpha > 0f && alpha <= 1f))
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(alpha), alpha, "a smoothing factor in (0, 1]");
        }
    }
}

internal struct EmaState(float alpha)
{
    private float _average;
    private bool _started;

    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            if (!float.IsFinite(x))
            {
                output[i] = float.NaN;
                continue;
            }

            _average = _started ? _average + (alpha * (x - _average)) : x;
            _started = true;
            output[i] = _average;
        }
    }

    public void Reset()
    {
        _average = 0f;
        _started = false;
    }
}

/// <summary>
/// Streaming exponential moving average (see <see cref="Ema"/>): one output per input, no latency,
/// bit-identical to the one-shot result for any chunking; allocates nothing after construction.
/// </summary>
public sealed class EmaFilter
{
    private EmaState _state;

    /// <summary>Creates the filter with smoothing factor <paramref name="alpha"/> in (0, 1].</summary>
    public EmaFilter(float alpha)
    {
        Ema.CheckAlpha(alpha);
        Alpha = alpha;
        _state = new EmaState(alpha);
    }

    /// <summary>The smoothing factor.</summary>
    public float Alpha { get; }

    /// <summary>Output latency in samples: 0.</summary>
    public static int LatencySamples => 0;

    /// <summary>Smooths the next chunk into <paramref name="output"/> (at least as long; may be the same span). Returns <c>input.Length</c>.</summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        _state.Process(input, output);
        return input.Length;
    }

    /// <summary>Nothing is held back; resets the filter for a new stream and returns 0.</summary>
    public int Flush()
    {
        Reset();
        return 0;
    }

    /// <summary>Forgets the stream: the next finite sample starts the average again.</summary>
    public void Reset() => _state.Reset();
}
