using System.Buffers;
using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Tests.Conditioning;

public class ConditioningChainTests
{
    public static TheoryData<int> OptionCases() => [0, 1, 2, 3];

    private static ConditioningOptions Options(int variant) => variant switch
    {
        0 => new ConditioningOptions { Resample = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(100), MaxGap = TimeSpan.FromMilliseconds(450) } },
        1 => new ConditioningOptions
        {
            HampelWindowSamples = 9,
            Smoothing = Smoothing.Ema,
            EmaAlpha = 0.3f,
            Resample = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(50), GapFill = GapFill.HoldLast, HoldLimit = TimeSpan.FromMilliseconds(200), MaxGap = TimeSpan.FromMilliseconds(300) },
        },
        2 => new ConditioningOptions
        {
            HampelWindowSamples = 0,
            Smoothing = Smoothing.MovingAverage,
            MovingAverageWindowSamples = 4,
            Resample = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(100), Interpolation = Interpolation.SampleAndHold },
        },
        _ => new ConditioningOptions
        {
            HampelWindowSamples = 5,
            HampelSigmas = 2f,
            Smoothing = Smoothing.MovingAverage,
            MovingAverageWindowSamples = 3,
            Resample = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(200) },
        },
    };

    [Theory]
    [MemberData(nameof(OptionCases))]
    public void Run_EqualsTheStagesComposedByHand(int variant)
    {
        var options = Options(variant);
        var (t, v) = ResamplerTests.IrregularSignal(3000, variant);

        var cleaned = new float[v.Length];
        long spikes = 0;
        if (options.HampelWindowSamples != 0)
        {
            spikes = Hampel.Apply(v, cleaned, options.HampelWindowSamples, options.HampelSigmas);
        }
        else
        {
            v.CopyTo(cleaned);
        }

        var smoothed = new float[v.Length];
        switch (options.Smoothing)
        {
            case Smoothing.MovingAverage:
                MovingAverage.Apply(cleaned, smoothed, options.MovingAverageWindowSamples);
                break;
            case Smoothing.Ema:
                Ema.Apply(cleaned, smoothed, options.EmaAlpha);
                break;
            default:
                cleaned.CopyTo(smoothed, 0);
                break;
        }

        var expected = new float[Resampling.GetOutputLength(t, smoothed, options.Resample.OutputPeriod)];
        var expectedResult = Resampling.Resample(t, smoothed, expected, options.Resample);

        var actual = new float[ConditioningChain.GetMaxOutputLength(t, v, options)];
        var result = ConditioningChain.Run(options, t, v, actual);

        SignalFactory.AssertBitwiseEqual(expected.AsSpan(0, expectedResult.Written), actual.AsSpan(0, result.Written));
        Assert.Equal(expectedResult.FirstGridIndex, result.FirstGridIndex);
        Assert.Equal(spikes, result.Stats.SpikesReplaced);
        Assert.Equal(expectedResult.Stats, result.Stats.Resample);
    }

    [Theory]
    [InlineData(0, 1, 1, 1)]
    [InlineData(1, 1, 3, 2)]
    [InlineData(2, 17, 5, 40)]
    [InlineData(3, 300, 64, 1000)]
    [InlineData(1, 1000, 4096, 7)]
    public void Process_RandomChunkingAndOutputSizes_EqualsRunBitwise(int variant, int maxChunk, int maxChunkSamples, int maxOutput)
    {
        var options = Options(variant);
        var (t, v) = ResamplerTests.IrregularSignal(2500, variant + maxChunk);
        var expected = new float[ConditioningChain.GetMaxOutputLength(t, v, options)];
        var oneShot = ConditioningChain.Run(options, t, v, expected);

        using var chain = new ConditioningChain(options, maxChunkSamples);
        var actual = Stream(chain, t, v, SignalFactory.Chunking(t.Length, maxChunk, maxOutput), maxOutput, variant);

        SignalFactory.AssertBitwiseEqual(expected.AsSpan(0, oneShot.Written), actual);
        Assert.Equal(oneShot.FirstGridIndex, chain.FirstGridIndex);
        Assert.Equal(oneShot.Stats, chain.Stats);
    }

    [Fact]
    public void Run_SpikeOnRegularSamples_RemovedBeforeResampling()
    {
        // 10 Hz samples 50, 50.5, 51, 50, ... resampled at 10 Hz: the grid values are the samples, except the spike.
        // Window of the spike (samples 7..13): 50.5 51 50 400 51 50 50.5, median 50.5; deviations
        // 0 0.5 0.5 349.5 0.5 0.5 0, MAD 0.5, 3 sigma 2.22 < 349.5: replaced by 50.5. Every other sample has
        // MAD 0.5 and deviates by at most 0.5, so it is kept.
        var t = Enumerable.Range(0, 20).Select(i => i * TimeSpan.TicksPerMillisecond * 100).ToArray();
        var v = Enumerable.Range(0, 20).Select(i => 50f + ((i % 3) * 0.5f)).ToArray();
        v[10] = 400f;
        var options = new ConditioningOptions { Resample = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(100) } };
        var output = new float[20];

        var result = ConditioningChain.Run(options, t, v, output);

        Assert.Equal(20, result.Written);
        Assert.Equal(1, result.Stats.SpikesReplaced);
        Assert.Equal(50.5f, output[10]);
        v[10] = 50.5f;
        Assert.Equal(v, output);
    }

    [Fact]
    public void Options_Invalid_MessageNamesSettingAndValue()
    {
        var options = Options(0) with { HampelWindowSamples = 8 };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ConditioningChain(options));

        Assert.Contains("HampelWindowSamples", ex.Message, StringComparison.Ordinal);
        Assert.Contains("8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var (t, v) = ResamplerTests.IrregularSignal(20_000, 4);
        using var chain = new ConditioningChain(Options(1), 1024);
        var output = new float[100_000];
        chain.Process(t.AsSpan(0, 100), v.AsSpan(0, 100), output, out _, out _);

        bool allDone = true;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 100; i < t.Length; i += 3000)
        {
            int n = Math.Min(3000, t.Length - i);
            allDone &= chain.Process(t.AsSpan(i, n), v.AsSpan(i, n), output, out _, out _) == OperationStatus.Done;
        }

        chain.Flush(output, out _);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(allDone);
        Assert.Equal(0, after - before);
    }

    private static float[] Stream(ConditioningChain chain, long[] t, float[] v, List<int> chunks, int maxOutput, int seed)
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
                var status = chain.Process(ts, vs, output, out int consumed, out int written);
                result.AddRange(output[..written].ToArray());
                ts = ts[consumed..];
                vs = vs[consumed..];
                if (status == OperationStatus.Done)
                {
                    break;
                }
            }

            offset += n;
        }

        while (true)
        {
            var output = buffer.AsSpan(0, rng.Next(0, maxOutput + 1));
            var status = chain.Flush(output, out int written);
            result.AddRange(output[..written].ToArray());
            if (status == OperationStatus.Done)
            {
                break;
            }
        }

        return [.. result];
    }
}
