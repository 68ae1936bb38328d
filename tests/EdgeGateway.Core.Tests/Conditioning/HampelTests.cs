using System.Runtime.Intrinsics;
using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Tests.Conditioning;

public class HampelTests
{
    [Fact]
    public void Apply_SingleSpike_ReplacedByWindowMedian()
    {
        // Centre 100: sorted window 1 2 3 5 6 7 100, median 5; |x - 5| = 4 3 2 95 0 1 2, MAD 2;
        // 3 sigma = 3 x 1.4826 x 2 = 8.8956 < 95, so 100 becomes 5. The edges (3 each side) are not judged.
        float[] x = [1, 2, 3, 100, 5, 6, 7];
        var y = new float[7];

        int replaced = Hampel.Apply(x, y, 7);

        Assert.Equal(1, replaced);
        Assert.Equal([1f, 2, 3, 5, 5, 6, 7], y);
    }

    [Fact]
    public void Apply_Ramp_Kept()
    {
        // Centre 4: median 4, deviations 3 2 1 0 1 2 3, MAD 2; |4 - 4| = 0 is not an outlier.
        float[] x = [1, 2, 3, 4, 5, 6, 7];
        var y = new float[7];

        Assert.Equal(0, Hampel.Apply(x, y, 7));
        Assert.Equal(x, y);
    }

    [Fact]
    public void Apply_StepChange_PreservedWhileMovingAverageSmearsIt()
    {
        // At the step both medians follow the majority side and the MAD is 0 with |x - median| = 0: kept.
        var x = new float[40];
        Array.Fill(x, 10f, 20, 20);
        var hampel = new float[40];
        var average = new float[40];

        int replaced = Hampel.Apply(x, hampel, 7);
        MovingAverage.Apply(x, average, 5);

        Assert.Equal(0, replaced);
        Assert.Equal(x, hampel);
        // A 5-sample trailing mean ramps 0, 2, 4, 6, 8, 10 across the step.
        Assert.Equal([0f, 2, 4, 6, 8, 10], average[19..25]);
    }

    [Fact]
    public void Apply_ConstantRunWithSpike_ReplacedBecauseMadIsZero()
    {
        float[] x = [4, 4, 4, 4, 4.5f, 4, 4, 4, 4];
        var y = new float[x.Length];

        Assert.Equal(1, Hampel.Apply(x, y, 5));
        Assert.Equal(4f, y[4]);
    }

    [Fact]
    public void Apply_QuantisedSignalWithDeviationFloor_KeepsOneStepChanges()
    {
        // 50/51 alternating: the MAD is 0 in every window, so without a floor every minority value is "a spike".
        float[] x = [50, 51, 50, 51, 50, 51, 50, 51, 50, 51, 80, 51, 50, 51];
        var plain = new float[x.Length];
        var floored = new float[x.Length];

        int plainCount = Hampel.Apply(x, plain, 7);
        int flooredCount = Hampel.Apply(x, floored, 7, minDeviation: 1f);

        Assert.True(plainCount > 1);
        Assert.Equal(1, flooredCount);
        Assert.NotEqual(80f, floored[10]);
        x[10] = floored[10];
        Assert.Equal(x, floored);
    }

    [Fact]
    public void Apply_NaNNeighbour_StatisticsUseFiniteValues()
    {
        // Finite values 1 2 100 5 6 7: median (5 + 6) / 2 = 5.5; deviations 4.5 3.5 94.5 0.5 0.5 1.5,
        // sorted 0.5 0.5 1.5 3.5 4.5 94.5, MAD (1.5 + 3.5) / 2 = 2.5; 3 sigma = 11.1195 < 94.5.
        float[] x = [1, 2, float.NaN, 100, 5, 6, 7];
        var y = new float[7];

        Assert.Equal(1, Hampel.Apply(x, y, 7));
        Assert.Equal(5.5f, y[3]);
        Assert.True(float.IsNaN(y[2]));
    }

    [Fact]
    public void Apply_NaNCentre_StaysNaNAndIsNotCounted()
    {
        float[] x = [1, 2, 3, float.NaN, 5, 6, 7];
        var y = new float[7];

        Assert.Equal(0, Hampel.Apply(x, y, 7));
        Assert.True(float.IsNaN(y[3]));
    }

    [Fact]
    public void Apply_InfiniteCentre_ReplacedByMedianOfFiniteNeighbours()
    {
        float[] x = [1, 2, 3, float.PositiveInfinity, 5, 6, 7];
        var y = new float[7];

        Assert.Equal(1, Hampel.Apply(x, y, 7));
        Assert.Equal(4f, y[3]); // finite 1 2 3 5 6 7: (3 + 5) / 2
    }

    [Fact]
    public void Apply_SpikeAtEdge_NotJudged()
    {
        float[] x = [1, 100, 3, 4, 5, 6, 7, 8];
        var y = new float[x.Length];

        Assert.Equal(0, Hampel.Apply(x, y, 7));
        Assert.Equal(100f, y[1]);
    }

    [Fact]
    public void Apply_ShorterThanWindow_CopiesInput()
    {
        float[] x = [1, 100, 3];
        var y = new float[3];

        Assert.Equal(0, Hampel.Apply(x, y, 7));
        Assert.Equal(x, y);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    [InlineData(1025)]
    public void Apply_BadWindow_Throws(int window)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Hampel.Apply(new float[10], new float[10], window));
        Assert.Contains("windowSamples", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_OverlappingOutput_Throws()
    {
        var buffer = new float[20];
        Assert.Throws<ArgumentException>(() => Hampel.Apply(buffer.AsSpan(0, 10), buffer.AsSpan(5, 10), 7));
    }

    [Fact]
    public void Apply_NegativeSigmas_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hampel.Apply(new float[10], new float[10], 7, -1f));
    }

    public static TheoryData<int, int> WindowsAndLengths()
    {
        var data = new TheoryData<int, int>();
        foreach (int w in new[] { 3, 5, 7, 9, 11, 21, 63, 65 })
        {
            foreach (int n in new[] { 0, 6, 7, 8, 23, 100, 5000 })
            {
                data.Add(w, n);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WindowsAndLengths))]
    public void Process_EveryVectorPath_EqualsReferenceBitwise(int window, int length)
    {
        foreach (var path in AvailablePaths())
        {
            for (int seed = 0; seed < 3; seed++)
            {
                float[] x = seed == 2 ? SignalFactory.Ties(length, seed) : SignalFactory.Nasty(length, (window * 1000) + seed);
                var expected = new float[x.Length];
                var actual = new float[x.Length];

                float floor = seed == 1 ? 0.3f : 0f;
                int expectedReplaced = Hampel.Run(x, expected, window, 3f, floor, KernelPath.Reference);
                int actualReplaced = Hampel.Run(x, actual, window, 3f, floor, path);

                SignalFactory.AssertBitwiseEqual(expected, actual);
                Assert.Equal(expectedReplaced, actualReplaced);

                RollingMedian.Run(x, expected, window, KernelPath.Reference);
                RollingMedian.Run(x, actual, window, path);
                SignalFactory.AssertBitwiseEqual(expected, actual);
            }
        }
    }

    [Fact]
    public void Apply_EqualsNaiveHampel()
    {
        // Property check against a direct, allocation-happy transcription of the definition (double statistics).
        float[] x = SignalFactory.Nasty(3000, 7);
        var actual = new float[x.Length];
        Hampel.Apply(x, actual, 7);

        for (int i = 3; i < x.Length - 3; i++)
        {
            var finite = x[(i - 3)..(i + 4)].Where(float.IsFinite).Select(v => v + 0f).OrderBy(v => v).ToArray();
            float expected = x[i];
            if (!float.IsNaN(x[i]) && finite.Length > 0)
            {
                float median = Middle(finite);
                float mad = Middle(finite.Select(v => MathF.Abs(v - median)).OrderBy(v => v).ToArray());
                if (!float.IsFinite(x[i]) || MathF.Abs(x[i] - median) > 3f * 1.4826f * mad)
                {
                    expected = median;
                }
            }

            Assert.True(expected.Equals(actual[i]), $"index {i}: expected {expected}, actual {actual[i]}");
        }

        static float Middle(float[] sorted) =>
            sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) * 0.5f;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(11)]
    public void RollingMedian_EqualsNaiveMedian(int window)
    {
        float[] x = SignalFactory.Nasty(3000, window);
        var actual = new float[x.Length];
        RollingMedian.Apply(x, actual, window);
        int half = window / 2;

        for (int i = 0; i < x.Length; i++)
        {
            float expected = x[i];
            if (i >= half && i < x.Length - half && !float.IsNaN(x[i]))
            {
                var finite = x[(i - half)..(i + half + 1)].Where(float.IsFinite).OrderBy(v => v).ToArray();
                if (finite.Length > 0)
                {
                    int m = finite.Length / 2;
                    expected = finite.Length % 2 == 1 ? finite[m] : (finite[m - 1] + finite[m]) * 0.5f;
                }
            }

            Assert.True(expected.Equals(actual[i]), $"index {i}: expected {expected}, actual {actual[i]}");
        }
    }

    [Fact]
    public void Apply_SteadyState_AllocatesNothing()
    {
        float[] x = SignalFactory.Nasty(10_000, 3);
        var y = new float[x.Length];
        Hampel.Apply(x, y, 7);
        Hampel.Apply(x, y, 9);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Hampel.Apply(x, y, 7);
        Hampel.Apply(x, y, 9);
        RollingMedian.Apply(x, y, 7);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);
    }

    internal static IEnumerable<KernelPath> AvailablePaths()
    {
        yield return KernelPath.Auto;
        if (Vector128.IsHardwareAccelerated)
        {
            yield return KernelPath.Vector128;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            yield return KernelPath.Vector256;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            yield return KernelPath.Vector512;
        }
    }
}
