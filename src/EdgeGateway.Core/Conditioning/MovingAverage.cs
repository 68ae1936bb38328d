namespace EdgeGateway.Core.Conditioning;

/// <summary>
/// Trailing moving average, one shot: <c>y[i]</c> is the mean of the finite samples among
/// <c>x[i - windowSamples + 1] .. x[i]</c>; the first <c>windowSamples - 1</c> outputs average the
/// samples seen so far (a growing window). A non-finite sample gives NaN (a gap stays a gap) and is left
/// out of later means. No output latency; the group delay is <c>(windowSamples - 1) / 2</c> samples,
/// and a step is smeared over <c>windowSamples</c> samples.
/// </summary>
/// <remarks>
/// The running sum is a double updated by adding the new sample and then subtracting the one that
/// left, in stream order, so <see cref="MovingAverageFilter"/> gives the same bits for any chunking.
/// Allocation-free: the one-shot form reads the leaving sample from the input itself.
/// </remarks>
public static class MovingAverage
{
    /// <summary>Largest accepted window.</summary>
    public const int MaxWindowSamples = 1 << 20;

    /// <summary>Averages <paramref name="input"/> into <paramref name="output"/> (at least as long, not overlapping).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is below 1 or above <see cref="MaxWindowSamples"/>.</exception>
    /// <exception cref="ArgumentException">The output is too short or overlaps the input.</exception>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, int windowSamples)
    {
        CheckWindow(windowSamples);
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        ConditioningThrow.CheckNoOverlap(input, output, nameof(output));
        var state = default(MovingAverageState);
        for (int i = 0; i < input.Length; i++)
        {
            bool full = i >= windowSamples;
            output[i] = state.Step(input[i], full ? input[i - windowSamples] : 0f, full);
        }
    }

    internal static void CheckWindow(int windowSamples)
    {
        if (windowSamples < 1 || windowSamples > MaxWindowSamples)
        {
            ConditioningThrow.ArgumentOutOfRange(nameof(windowSamples), windowSamples, $"a window of 1 to {MaxWindowSamples} samples");
        }
    }
}

/// <summary>The running state shared by the one-shot and streaming moving average.</summary>
internal struct MovingAverageState
{
    private double _sum;
    private int _finite;

    public float Step(float incoming, float leaving, bool hasLeaving)
    {
        if (float.IsFinite(incoming))
        {
            _sum += incoming;
            _finite++;
        }

        if (hasLeaving && float.IsFinite(leaving))
        {
            _sum -= leaving;
            _finite--;
        }

        if (!float.IsFinite(incoming) || _finite == 0)
        {
            return float.NaN;
        }

        return (float)(_sum / _finite);
    }
}

/// <summary>
/// Streaming trailing moving average (see <see cref="MovingAverage"/>): one output per input, no latency,
/// bit-identical to the one-shot result for any chunking. Holds a ring of <c>windowSamples</c> samples
/// allocated by the constructor; <see cref="Process"/> allocates nothing.
/// </summary>
public sealed class MovingAverageFilter
{
    private readonly float[] _ring;
    private MovingAverageState _state;
    private long _seen;

    /// <summary>Creates the filter for a trailing window of <paramref name="windowSamples"/> samples (1 to 2^20).</summary>
    public MovingAverageFilter(int windowSamples)
    {
        MovingAverage.CheckWindow(windowSamples);
        _ring = new float[windowSamples];
    }

    /// <summary>The window length in samples.</summary>
    public int WindowSamples => _ring.Length;

    /// <summary>Output latency in samples: 0 (one output per input in the same call).</summary>
    public static int LatencySamples => 0;

    /// <summary>Averages the next chunk into <paramref name="output"/> (at least as long; may be the same span). Returns <c>input.Length</c>.</summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            ConditioningThrow.Argument(nameof(output), "output overlaps the input at an offset; pass the same span or a separate one");
        }

        int w = _ring.Length;
        for (int i = 0; i < input.Length; i++)
        {
            int slot = (int)(_seen % w);
            float x = input[i];
            float leaving = _ring[slot];
            _ring[slot] = x;
            output[i] = _state.Step(x, leaving, _seen >= w);
            _seen++;
        }

        return input.Length;
    }

    /// <summary>Nothing is held back; resets the filter for a new stream and returns 0.</summary>
    public int Flush()
    {
        Reset();
        return 0;
    }

    /// <summary>Forgets the stream.</summary>
    public void Reset()
    {
        _state = default;
        _seen = 0;
    }
}
