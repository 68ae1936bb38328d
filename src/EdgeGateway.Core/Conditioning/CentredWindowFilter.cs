namespace EdgeGateway.Core.Conditioning;

/// <summary>
/// Streaming form of a centred-window filter (<see cref="HampelFilter"/>, <see cref="RollingMedianFilter"/>).
/// Feed samples in chunks of any size; the concatenated outputs of every <see cref="Process"/> call and
/// the final <see cref="Flush"/> equal, bit for bit, the one-shot result on the whole stream.
/// </summary>
/// <remarks>
/// <para>Latency: output sample <c>i</c> is written by the call that delivers input sample
/// <c>i + LatencySamples</c> (<c>LatencySamples = windowSamples / 2</c>). After <c>N</c> samples in
/// total, <c>max(0, N - LatencySamples)</c> outputs have been written; <see cref="Flush"/> writes the rest
/// (the end edge, copied unchanged) and resets the filter for a new stream.</para>
/// <para>Memory: one history array of <c>windowSamples - 1</c> samples and one scratch array of
/// <c>2 x (windowSamples - 1)</c>, both allocated by the constructor; <see cref="Process"/> and
/// <see cref="Flush"/> allocate nothing. Not thread-safe: one instance per channel.</para>
/// </remarks>
public abstract class CentredWindowFilter
{
    private readonly float[] _history; // stream samples [_seen - _historyCount, _seen)
    private readonly float[] _scratch;
    private int _historyCount;
    private long _seen;
    private long _emitted;

    /// <summary>Creates the filter for an odd window of <paramref name="windowSamples"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is even, below 3 or above 1023.</exception>
    protected CentredWindowFilter(int windowSamples)
    {
        ConditioningThrow.CheckOddWindow(windowSamples, nameof(windowSamples));
        WindowSamples = windowSamples;
        _history = new float[windowSamples - 1];
        _scratch = new float[2 * (windowSamples - 1)];
    }

    /// <summary>The window length in samples (odd).</summary>
    public int WindowSamples { get; }

    /// <summary>How many samples the output trails the input: <c>WindowSamples / 2</c>.</summary>
    public int LatencySamples => WindowSamples / 2;

    /// <summary>Samples received since the start of the stream (or the last <see cref="Flush"/>/<see cref="Reset"/>).</summary>
    public long SamplesIn => _seen;

    /// <summary>Samples written since the start of the stream.</summary>
    public long SamplesOut => _emitted;

    /// <summary>
    /// Filters the next chunk. <paramref name="output"/> must hold at least <c>input.Length</c> samples
    /// (a call never writes more). Returns the number of samples written to the start of <paramref name="output"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is too short or overlaps the input.</exception>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        ConditioningThrow.CheckSameLength(input.Length, output.Length, nameof(output));
        ConditioningThrow.CheckNoOverlap(input, output, nameof(output));
        int half = LatencySamples;
        long total = _seen + input.Length;
        long target = Math.Max(0, total - half);
        long p = _emitted;
        int written = 0;

        // Start edge: the first `half` samples have no full window and pass through.
        while (p < Math.Min(half, target))
        {
            output[written++] = ValueAt(p, input);
            p++;
        }

        // Centres whose window reaches back into the history: judged on a scratch copy of the window span.
        long endA = Math.Min(target, _seen + half);
        if (p < endA)
        {
            int length = (int)(endA - p) + 2 * half;
            var scratch = _scratch.AsSpan(0, length);
            for (int i = 0; i < length; i++)
            {
                scratch[i] = ValueAt(p - half + i, input);
            }

            written += Judge(scratch, output.Slice(written, (int)(endA - p)));
            p = endA;
        }

        // Centres whose window lies inside this chunk: judged in place, no copy.
        if (p < target)
        {
            int start = (int)(p - half - _seen);
            int length = (int)(target - p) + 2 * half;
            written += Judge(input.Slice(start, length), output.Slice(written, (int)(target - p)));
            p = target;
        }

        _emitted = p;
        KeepHistory(input);
        _seen = total;
        return written;
    }

    /// <summary>
    /// Writes the samples still held back (the end edge, unchanged; at most <see cref="LatencySamples"/>
    /// or, for a stream shorter than the window, all of it) and resets the filter for a new stream.
    /// Returns the number written; <paramref name="output"/> needs room for <see cref="LatencySamples"/> at most.
    /// </summary>
    public int Flush(Span<float> output)
    {
        int pending = (int)(_seen - _emitted);
        if (output.Length < pending)
        {
            ConditioningThrow.Argument(nameof(output), $"output holds {output.Length} samples; {pending} are pending");
        }

        for (int i = 0; i < pending; i++)
        {
            output[i] = ValueAt(_emitted + i, ReadOnlySpan<float>.Empty);
        }

        Reset();
        return pending;
    }

    /// <summary>Forgets the stream: the next sample is the first of a new stream (its start is an edge again).</summary>
    public virtual void Reset()
    {
        _historyCount = 0;
        _seen = 0;
        _emitted = 0;
    }

    /// <summary>Judges every centre of <paramref name="source"/> (all of whose window lies inside it) into <paramref name="destination"/>.</summary>
    private protected abstract void JudgeCentres(ReadOnlySpan<float> source, Span<float> destination);

    private int Judge(ReadOnlySpan<float> source, Span<float> destination)
    {
        JudgeCentres(source, destination);
        return destination.Length;
    }

    /// <summary>The stream sample at <paramref name="position"/>: from the history or from the current chunk.</summary>
    private float ValueAt(long position, ReadOnlySpan<float> input) =>
        position < _seen ? _history[(int)(position - (_seen - _historyCount))] : input[(int)(position - _seen)];

    private void KeepHistory(ReadOnlySpan<float> input)
    {
        int capacity = _history.Length;
        if (input.Length >= capacity)
        {
            input[^capacity..].CopyTo(_history);
            _historyCount = capacity;
            return;
        }

        int keep = Math.Min(_historyCount, capacity - input.Length);
        _history.AsSpan(_historyCount - keep, keep).CopyTo(_history);
        input.CopyTo(_history.AsSpan(keep));
        _historyCount = keep + input.Length;
    }
}

/// <summary>
/// Streaming Hampel filter (see <see cref="Hampel"/> for the rules and <see cref="CentredWindowFilter"/>
/// for latency, flush and memory). Counts the samples it replaced.
/// </summary>
public sealed class HampelFilter : CentredWindowFilter
{
    private readonly JudgeSettings _settings;

    /// <summary>Creates the filter.</summary>
    /// <param name="windowSamples">Odd window length in samples, 3 to 1023.</param>
    /// <param name="nSigma">Threshold in standard deviations (sigma = 1.4826 x MAD), finite and &gt;= 0.</param>
    /// <param name="minDeviation">Deviation floor in signal units, finite and &gt;= 0 (see <see cref="Hampel.Apply"/>).</param>
    public HampelFilter(int windowSamples, float nSigma = Hampel.DefaultSigmas, float minDeviation = 0f)
        : base(windowSamples)
    {
        ConditioningThrow.CheckSigmas(nSigma, nameof(nSigma));
        ConditioningThrow.CheckMinDeviation(minDeviation, nameof(minDeviation));
        Sigmas = nSigma;
        MinDeviation = minDeviation;
        _settings = Hampel.Settings(nSigma, minDeviation);
    }

    /// <summary>The threshold in standard deviations.</summary>
    public float Sigmas { get; }

    /// <summary>The deviation floor in signal units.</summary>
    public float MinDeviation { get; }

    /// <summary>Samples replaced since the filter was created (not reset by <see cref="CentredWindowFilter.Flush"/>).</summary>
    public long ReplacedCount { get; private set; }

    private protected override void JudgeCentres(ReadOnlySpan<float> source, Span<float> destination) =>
        ReplacedCount += WindowKernel.Process(source, destination, WindowSamples, _settings);
}

/// <summary>Streaming rolling median (see <see cref="RollingMedian"/> and <see cref="CentredWindowFilter"/>).</summary>
public sealed class RollingMedianFilter : CentredWindowFilter
{
    private static readonly JudgeSettings s_median = new(0f, 0f, MedianOnly: true);

    /// <summary>Creates the filter for an odd window of 3 to 1023 samples.</summary>
    public RollingMedianFilter(int windowSamples)
        : base(windowSamples)
    {
    }

    private protected override void JudgeCentres(ReadOnlySpan<float> source, Span<float> destination) =>
        WindowKernel.Process(source, destination, WindowSamples, s_median);
}
