using System.Buffers;
using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Tests.Conditioning;

public class ResamplerTests
{
    private static readonly long s_ms = TimeSpan.TicksPerMillisecond;

    private static ResampleOptions Every100Ms(Interpolation interpolation = Interpolation.Linear) =>
        new() { OutputPeriod = TimeSpan.FromMilliseconds(100), Interpolation = interpolation };

    [Fact]
    public void Resample_LinearRamp_GivesTheRampOnTheGrid()
    {
        // v = 10 t (t in s), sampled irregularly at 0, 0.3 and 1.0 s: the grid 0, 0.1 .. 1.0 s carries 0, 1 .. 10.
        long[] t = [0, 300 * s_ms, 1000 * s_ms];
        float[] v = [0, 3, 10];
        var options = Every100Ms();
        var output = new float[Resampling.GetOutputLength(t, v, options.OutputPeriod)];

        var result = Resampling.Resample(t, v, output, options);

        Assert.Equal(11, result.Written);
        Assert.Equal(0, result.FirstGridIndex);
        for (int k = 0; k <= 10; k++)
        {
            Assert.Equal(k, output[k], 5);
        }
    }

    [Fact]
    public void Resample_SampleAndHold_HoldsTheLastSample()
    {
        long[] t = [0, 300 * s_ms, 1000 * s_ms];
        float[] v = [0, 3, 10];
        var output = new float[11];

        Resampling.Resample(t, v, output, Every100Ms(Interpolation.SampleAndHold));

        Assert.Equal([0f, 0, 0, 3, 3, 3, 3, 3, 3, 3, 10], output);
    }

    [Fact]
    public void Resample_GridIsAlignedToWholePeriods()
    {
        // First sample at 0.05 s: the first grid point is 0.1 s (index 1), the last at or before 0.42 s is 0.4 s.
        long[] t = [50 * s_ms, 420 * s_ms];
        float[] v = [1, 1];
        var output = new float[8];

        var result = Resampling.Resample(t, v, output, Every100Ms());

        Assert.Equal(1, result.FirstGridIndex);
        Assert.Equal(4, result.Written);
        Assert.Equal(4, Resampling.GetOutputLength(t, v, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void Resample_GapLongerThanMax_LeavesNaNAndIsCounted()
    {
        // Samples at 0, 0.2 and 2.0 s, period 0.2 s, max gap 0.5 s: 0.2 -> 2.0 is a 1.8 s gap; the grid points
        // 0.4 .. 1.8 s (8 of them) are NaN; 0.2 s keeps its own sample and 2.0 s the last one.
        long[] t = [0, 200 * s_ms, 2000 * s_ms];
        float[] v = [1, 2, 3];
        var options = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(200), MaxGap = TimeSpan.FromMilliseconds(500) };
        var output = new float[11];

        var result = Resampling.Resample(t, v, output, options);

        Assert.Equal(11, result.Written);
        Assert.Equal(1f, output[0]);
        Assert.Equal(2f, output[1]);
        Assert.All(output[2..10], y => Assert.True(float.IsNaN(y)));
        Assert.Equal(3f, output[10]);
        Assert.Equal(1, result.Stats.GapCount);
        Assert.Equal(TimeSpan.FromMilliseconds(1800), result.Stats.GapDuration);
        Assert.Equal(8, result.Stats.NanSamplesOut);
    }

    [Fact]
    public void Resample_HoldLast_HoldsUpToTheLimitThenNaN()
    {
        long[] t = [0, 200 * s_ms, 2000 * s_ms];
        float[] v = [1, 2, 3];
        var options = new ResampleOptions
        {
            OutputPeriod = TimeSpan.FromMilliseconds(200),
            MaxGap = TimeSpan.FromMilliseconds(500),
            GapFill = GapFill.HoldLast,
            HoldLimit = TimeSpan.FromMilliseconds(500),
        };
        var output = new float[11];

        var result = Resampling.Resample(t, v, output, options);

        // 0.4 s and 0.6 s are within 0.5 s of the sample at 0.2 s; 0.8 s onwards is not.
        Assert.Equal([1f, 2, 2, 2], output[..4]);
        Assert.All(output[4..10], y => Assert.True(float.IsNaN(y)));
        Assert.Equal(6, result.Stats.NanSamplesOut);
    }

    [Fact]
    public void Resample_NaNAndOutOfOrderSamples_AreDroppedAndCounted()
    {
        // 150 ms is NaN; 50 ms comes after 100 ms (a clock step back); the second 200 ms is a duplicate.
        long[] t = [0, 100 * s_ms, 150 * s_ms, 50 * s_ms, 200 * s_ms, 200 * s_ms];
        float[] v = [0, 1, float.NaN, 7, 2, 9];
        var output = new float[3];

        var result = Resampling.Resample(t, v, output, Every100Ms());

        Assert.Equal([0f, 1, 2], output);
        Assert.Equal(1, result.Stats.NonFiniteSamples);
        Assert.Equal(2, result.Stats.OutOfOrderSamples);
    }

    [Fact]
    public void Resample_NoValidSample_WritesNothing()
    {
        long[] t = [0, 100 * s_ms];
        float[] v = [float.NaN, float.PositiveInfinity];

        Assert.Equal(0, Resampling.GetOutputLength(t, v, TimeSpan.FromMilliseconds(100)));
        var result = Resampling.Resample(t, v, [], Every100Ms());

        Assert.Equal(0, result.Written);
        Assert.Equal(2, result.Stats.NonFiniteSamples);
    }

    [Fact]
    public void Resample_OutputTooShort_ThrowsNamingTheNeededLength()
    {
        long[] t = [0, 1000 * s_ms];
        float[] v = [0, 1];

        var ex = Assert.Throws<ArgumentException>(() => Resampling.Resample(t, v, new float[5], Every100Ms()));

        Assert.Contains("11", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Invalid_MessageNamesSettingAndValue()
    {
        var options = new ResampleOptions { OutputPeriod = TimeSpan.Zero };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Contains("OutputPeriod", ex.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:00", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 7, 3)]
    [InlineData(3, 50, 1000)]
    public void Resampler_RandomChunkingAndOutputSizes_EqualsOneShotBitwise(int seed, int maxChunk, int maxOutput)
    {
        foreach (var options in VariedOptions())
        {
            var (t, v) = IrregularSignal(3000, seed);
            var expected = new float[Resampling.GetOutputLength(t, v, options.OutputPeriod)];
            var oneShot = Resampling.Resample(t, v, expected, options);

            var resampler = new Resampler(options);
            var actual = Stream(resampler, t, v, SignalFactory.Chunking(t.Length, maxChunk, seed), maxOutput, seed);

            SignalFactory.AssertBitwiseEqual(expected.AsSpan(0, oneShot.Written), actual);
            Assert.Equal(oneShot.FirstGridIndex, resampler.FirstGridIndex);
            Assert.Equal(oneShot.Stats, resampler.Stats);
        }
    }

    [Fact]
    public void Resample_EqualsNaiveInterpolation()
    {
        var (t, v) = IrregularSignal(2000, 9);
        var options = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(100), MaxGap = TimeSpan.FromMilliseconds(400) };
        var output = new float[Resampling.GetOutputLength(t, v, options.OutputPeriod)];
        var result = Resampling.Resample(t, v, output, options);

        // Naive: for each grid time find the accepted samples either side by a linear search.
        var accepted = new List<(long T, float V)>();
        for (int i = 0; i < t.Length; i++)
        {
            if (float.IsFinite(v[i]) && (accepted.Count == 0 || t[i] > accepted[^1].T))
            {
                accepted.Add((t[i], v[i]));
            }
        }

        long period = options.OutputPeriod.Ticks;
        for (int j = 0; j < result.Written; j++)
        {
            long g = (result.FirstGridIndex + j) * period;
            int right = accepted.FindIndex(s => s.T > g);
            var a = accepted[right < 0 ? accepted.Count - 1 : right - 1];
            double expected;
            if (right < 0 || a.T == g)
            {
                expected = a.V;
            }
            else
            {
                var b = accepted[right];
                expected = b.T - a.T > options.MaxGap.Ticks ? double.NaN : a.V + ((b.V - (double)a.V) * (g - a.T) / (b.T - a.T));
            }

            if (double.IsNaN(expected))
            {
                Assert.True(float.IsNaN(output[j]), $"grid {j}");
            }
            else
            {
                Assert.True(Math.Abs(expected - output[j]) < 1e-4, $"grid {j}: {expected} vs {output[j]}");
            }
        }
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var (t, v) = IrregularSignal(4096, 1);
        var resampler = new Resampler(Every100Ms());
        var output = new float[8192];
        resampler.Process(t.AsSpan(0, 10), v.AsSpan(0, 10), output, out _, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        resampler.Process(t.AsSpan(10), v.AsSpan(10), output, out _, out _);
        resampler.Flush(output, out _);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);
    }

    internal static IEnumerable<ResampleOptions> VariedOptions()
    {
        yield return new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(100), MaxGap = TimeSpan.FromMilliseconds(450) };
        yield return new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(37), Interpolation = Interpolation.SampleAndHold, MaxGap = TimeSpan.FromMilliseconds(300) };
        yield return new ResampleOptions
        {
            OutputPeriod = TimeSpan.FromMilliseconds(20),
            MaxGap = TimeSpan.FromMilliseconds(250),
            GapFill = GapFill.HoldLast,
            HoldLimit = TimeSpan.FromMilliseconds(100),
        };
    }

    /// <summary>~10 Hz samples with jitter, drop-outs, clock steps back, duplicates and NaN values.</summary>
    internal static (long[] Ticks, float[] Values) IrregularSignal(int length, int seed)
    {
        var rng = new Random(seed);
        var t = new long[length];
        var v = SignalFactory.Nasty(length, seed);
        long now = rng.Next(0, 1000) * s_ms;
        for (int i = 0; i < length; i++)
        {
            double r = rng.NextDouble();
            now += r < 0.02 ? rng.Next(500, 3000) * s_ms // a drop-out
                : r < 0.03 ? -rng.Next(0, 300) * s_ms // a clock step back or a duplicate
                : rng.Next(60, 140) * s_ms;
            t[i] = now;
        }

        return (t, v);
    }

    internal static float[] Stream(Resampler resampler, long[] t, float[] v, List<int> chunks, int maxOutput, int seed)
    {
        var rng = new Random(seed);
        var result = new List<float>();
        var buffer = new float[maxOutput];
        int offset = 0;
        foreach (int n in chunks)
        {
            var ts = t.AsSpan(offset, n);
            var vs = v.AsSpan(offset, n);
            while (true)
            {
                var output = buffer.AsSpan(0, rng.Next(0, maxOutput + 1));
                var status = resampler.Process(ts, vs, output, out int consumed, out int written);
                result.AddRange(output[..written].ToArray());
                ts = ts[consumed..];
                vs = vs[consumed..];
                if (status == OperationStatus.Done)
                {
                    Assert.True(ts.IsEmpty);
                    break;
                }
            }

            offset += n;
        }

        while (true)
        {
            var output = buffer.AsSpan(0, rng.Next(0, maxOutput + 1));
            var status = resampler.Flush(output, out int written);
            result.AddRange(output[..written].ToArray());
            if (status == OperationStatus.Done)
            {
                break;
            }
        }

        return [.. result];
    }
}

public class FillGapsTests
{
    private static readonly ResampleOptions s_tenHz = new()
    {
        OutputPeriod = TimeSpan.FromMilliseconds(100),
        MaxGap = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public void FillGaps_ShortHoleBridgedLongHoleLeftNaN()
    {
        // 10 Hz; max gap 0.3 s. Hole at 2..3 (the samples around it are 0.3 s apart): bridged linearly 1 -> 4.
        // Hole at 6..9 (samples 0.5 s apart): a gap, NaN, counted. Leading/trailing NaN stay NaN, not counted.
        float[] x = [float.NaN, 1, float.NaN, float.NaN, 4, 5, float.NaN, float.NaN, float.NaN, float.NaN, 10, float.NaN];
        var y = new float[x.Length];

        var stats = Resampling.FillGaps(x, y, s_tenHz);

        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([1f, 2, 3, 4, 5], y[1..6]);
        Assert.All(y[6..10], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(10f, y[10]);
        Assert.True(float.IsNaN(y[11]));
        Assert.Equal(1, stats.GapCount);
        Assert.Equal(TimeSpan.FromMilliseconds(500), stats.GapDuration);
    }

    [Fact]
    public void FillGaps_HoldLast_HoldsUpToTheLimit()
    {
        float[] x = [1, float.NaN, float.NaN, float.NaN, float.NaN, 6];
        var y = new float[x.Length];

        Resampling.FillGaps(x, y, s_tenHz with { GapFill = GapFill.HoldLast, HoldLimit = TimeSpan.FromMilliseconds(200) });

        Assert.Equal([1f, 1, 1], y[..3]);
        Assert.True(float.IsNaN(y[3]) && float.IsNaN(y[4]));
        Assert.Equal(6f, y[5]);
    }

    [Fact]
    public void FillGaps_EqualsResampleOnIndexTimestamps()
    {
        float[] x = SignalFactory.Nasty(1000, 21);
        var y = new float[x.Length];
        var stats = Resampling.FillGaps(x, y, s_tenHz);

        var t = Enumerable.Range(0, x.Length).Select(i => i * s_tenHz.OutputPeriod.Ticks).ToArray();
        var expected = new float[Resampling.GetOutputLength(t, x, s_tenHz.OutputPeriod)];
        var result = Resampling.Resample(t, x, expected, s_tenHz);

        SignalFactory.AssertBitwiseEqual(expected, y.AsSpan((int)result.FirstGridIndex, result.Written));
        Assert.Equal(result.Stats, stats);
    }

    [Fact]
    public void FillGaps_AllNaN_AllNaN()
    {
        float[] x = [float.NaN, float.NaN];
        var y = new float[2];

        Resampling.FillGaps(x, y, s_tenHz);

        Assert.All(y, v => Assert.True(float.IsNaN(v)));
    }
}
