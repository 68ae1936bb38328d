namespace EdgeGateway.Core.Conditioning;

/// <summary>
/// Hampel spike removal, one shot: a centred window of <c>windowSamples</c> (odd) around each sample
/// gives a median and sigma = 1.4826 x MAD (median absolute deviation); a sample further than
/// <c>nSigma</c> x sigma from the median is replaced by the median. Real steps survive because the
/// median follows a step once it fills half the window; a moving average would smear it.
/// </summary>
/// <remarks>
/// <para>Edges: the first and last <c>windowSamples / 2</c> samples have no full window and are copied
/// unchanged (not judged). The streaming <see cref="HampelFilter"/> does the same.</para>
/// <para>Non-finite values: NaN and +/-infinity never enter a median or MAD; the statistics use the
/// window's finite values (an even count takes the mean of the middle two). A NaN sample stays NaN
/// (gaps stay visible to gap handling) and is not counted; an infinite sample is replaced by the
/// median of its finite neighbours and counted. A window whose MAD is 0 (a constant run) replaces any
/// sample that differs from the run, unless a <c>minDeviation</c> floor is set.</para>
/// <para>Zeros: medians are computed with -0 read as +0, so a replaced sample is never -0; a kept
/// sample keeps its exact bits.</para>
/// <para>Allocation: none; the scalar path uses <c>stackalloc</c> of one window.</para>
/// </remarks>
public static class Hampel
{
    /// <summary>The Gaussian consistency constant: sigma = 1.4826 x MAD.</summary>
    public const float MadToSigma = 1.4826f;

    /// <summary>The default threshold in standard deviations.</summary>
    public const float DefaultSigmas = 3f;

    /// <summary>
    /// Filters <paramref name="input"/> into <paramref name="output"/> (at least as long, not overlapping)
    /// with the vectorised kernel. Returns the number of samples replaced.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is even, below 3 or above 1023, or <paramref name="nSigma"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The output is too short or overlaps the input.</exception>
    /// <param name="input">The samples.</param>
    /// <param name="output">Receives the filtered samples; at least as long as <paramref name="input"/>, not overlapping it.</param>
    /// <param name="windowSamples">Odd window length in samples, 3 to 1023.</param>
    /// <param name="nSigma">Threshold in standard deviations, finite and &gt;= 0.</param>
    /// <param name="minDeviation">
    /// A deviation must also exceed this, in signal units (finite, &gt;= 0; default 0). Quantised bus data often has a
    /// MAD of 0 over a window, which makes every one-step change look like a spike; a floor of about one resolution step
    /// stops that.
    /// </param>
    public static int Apply(ReadOnlySpan<float> input, Span<float> output, int windowSamples, float nSigma = DefaultSigmas, float minDeviation = 0f) =>
        Run(input, output, windowSamples, nSigma, minDeviation, KernelPath.Auto);

    /// <summary>
    /// The scalar, sort-based reference of <see cref="Apply"/>: same contract, same bits, slower.
    /// Kept public so that other implementations (the model lab's Python, for one) can be checked against it.
    /// </summary>
    public static int ApplyReference(ReadOnlySpan<float> input, Span<float> output, int windowSamples, float nSigma = DefaultSigmas, float minDeviation = 0f) =>
        Run(input, output, windowSamples, nSigma, minDeviation, KernelPath.Reference);

    /// <summary>k = nSigma x 1.4826, computed once in float so every path compares against the same threshold.</summary>
    internal static JudgeSettings Settings(float nSigma, float minDeviation) => new(nSigma * MadToSigma, minDeviation, MedianOnly: false);

    internal static int Run(ReadOnlySpan<float> input, Span<float> output, int windowSamples, float nSigma, float minDeviation, KernelPath path)
    {
        ConditioningThrow.CheckOddWindow(windowSamples, nameof(windowSamples));
        ConditioningThrow.CheckSigmas(nSigma, nameof(nSigma));
        ConditioningThrow.CheckMinDeviation(minDeviation, nameof(minDeviation));
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        ConditioningThrow.CheckNoOverlap(input, output, nameof(output));
        return CentredWindow.OneShot(input, output, windowSamples, Settings(nSigma, minDeviation), path);
    }
}

/// <summary>
/// Rolling (centred) median, one shot, with the same edge and non-finite rules as <see cref="Hampel"/>:
/// edges are copied, a NaN sample stays NaN, the median is over the window's finite values.
/// </summary>
public static class RollingMedian
{
    /// <summary>
    /// Writes the centred median of <paramref name="input"/> into <paramref name="output"/>
    /// (at least as long, not overlapping). Allocation-free.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is even, below 3 or above 1023.</exception>
    /// <exception cref="ArgumentException">The output is too short or overlaps the input.</exception>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, int windowSamples) =>
        Run(input, output, windowSamples, KernelPath.Auto);

    /// <summary>The scalar, sort-based reference of <see cref="Apply"/>.</summary>
    public static void ApplyReference(ReadOnlySpan<float> input, Span<float> output, int windowSamples) =>
        Run(input, output, windowSamples, KernelPath.Reference);

    internal static void Run(ReadOnlySpan<float> input, Span<float> output, int windowSamples, KernelPath path)
    {
        ConditioningThrow.CheckOddWindow(windowSamples, nameof(windowSamples));
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        ConditioningThrow.CheckNoOverlap(input, output, nameof(output));
        CentredWindow.OneShot(input, output, windowSamples, new JudgeSettings(0f, 0f, MedianOnly: true), path);
    }
}

internal static class CentredWindow
{
    public static int OneShot(ReadOnlySpan<float> input, Span<float> output, int windowSamples, JudgeSettings settings, KernelPath path)
    {
        int half = windowSamples / 2;
        int n = input.Length;
        if (n < windowSamples)
        {
            input.CopyTo(output);
            return 0;
        }

        input[..half].CopyTo(output);
        input[(n - half)..].CopyTo(output[(n - half)..]);
        return WindowKernel.Process(input, output[half..], windowSamples, settings, path);
    }
}
