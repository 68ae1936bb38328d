using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Tests.Conditioning;

public class SmoothingTests
{
    [Fact]
    public void MovingAverage_GrowingWindowThenTrailingMean()
    {
        float[] x = [3, 6, 9, 12, 15];
        var y = new float[5];

        MovingAverage.Apply(x, y, 3);

        // 3, (3+6)/2, (3+6+9)/3, (6+9+12)/3, (9+12+15)/3
        Assert.Equal([3f, 4.5f, 6, 9, 12], y);
    }

    [Fact]
    public void MovingAverage_NaN_GivesNaNAndIsLeftOut()
    {
        float[] x = [2, float.NaN, 4, 6];
        var y = new float[4];

        MovingAverage.Apply(x, y, 2);

        Assert.Equal(2f, y[0]);
        Assert.True(float.IsNaN(y[1]));
        Assert.Equal(4f, y[2]); // window {NaN, 4}: finite mean 4
        Assert.Equal(5f, y[3]);
    }

    [Fact]
    public void Ema_FirstValues_MatchHandComputation()
    {
        // alpha 0.5: y0 = 2; y1 = 2 + 0.5 (4 - 2) = 3; y2 = 3 + 0.5 (4 - 3) = 3.5; y3 = 3.5 + 0.5 (8 - 3.5) = 5.75
        float[] x = [2, 4, 4, 8];
        var y = new float[4];

        Ema.Apply(x, y, 0.5f);

        Assert.Equal([2f, 3, 3.5f, 5.75f], y);
    }

    [Fact]
    public void Ema_NaN_GivesNaNAndKeepsTheAverage()
    {
        float[] x = [float.NaN, 2, float.NaN, 4];
        var y = new float[4];

        Ema.Apply(x, y, 0.5f);

        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(2f, y[1]); // the first finite sample starts the average
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal(3f, y[3]);
    }

    [Fact]
    public void AlphaFor_TimeConstantEqualToPeriod_IsOneMinusInverseE()
    {
        float alpha = Ema.AlphaFor(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.Equal(0.63212055f, alpha, 6);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void EmaFilter_BadAlpha_Throws(float alpha)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EmaFilter(alpha));
        Assert.Contains("alpha", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(5, 7)]
    [InlineData(64, 300)]
    public void MovingAverageFilter_RandomChunking_EqualsOneShotBitwise(int window, int maxChunk)
    {
        float[] x = SignalFactory.Nasty(3000, window + maxChunk);
        var expected = new float[x.Length];
        MovingAverage.Apply(x, expected, window);

        var filter = new MovingAverageFilter(window);
        var actual = new float[x.Length];
        int offset = 0;
        foreach (int n in SignalFactory.Chunking(x.Length, maxChunk, window))
        {
            Assert.Equal(n, filter.Process(x.AsSpan(offset, n), actual.AsSpan(offset)));
            offset += n;
        }

        SignalFactory.AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    public void EmaFilter_RandomChunking_EqualsOneShotBitwise(int maxChunk)
    {
        float[] x = SignalFactory.Nasty(3000, maxChunk);
        var expected = new float[x.Length];
        Ema.Apply(x, expected, 0.1f);

        var filter = new EmaFilter(0.1f);
        var actual = new float[x.Length];
        int offset = 0;
        foreach (int n in SignalFactory.Chunking(x.Length, maxChunk, 3))
        {
            filter.Process(x.AsSpan(offset, n), actual.AsSpan(offset));
            offset += n;
        }

        SignalFactory.AssertBitwiseEqual(expected, actual);
    }

    [Fact]
    public void MovingAverage_EqualsNaiveMean()
    {
        float[] x = SignalFactory.Nasty(2000, 11);
        var actual = new float[x.Length];
        MovingAverage.Apply(x, actual, 10);

        for (int i = 0; i < x.Length; i++)
        {
            var finite = x[Math.Max(0, i - 9)..(i + 1)].Where(float.IsFinite).ToArray();
            if (!float.IsFinite(x[i]))
            {
                Assert.True(float.IsNaN(actual[i]));
                continue;
            }

            double mean = finite.Select(v => (double)v).Average();
            Assert.True(Math.Abs(mean - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(mean)), $"index {i}: {mean} vs {actual[i]}");
        }
    }
}
