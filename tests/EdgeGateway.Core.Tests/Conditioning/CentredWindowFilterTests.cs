using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Tests.Conditioning;

public class CentredWindowFilterTests
{
    public static TheoryData<int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int window in new[] { 3, 7, 9, 65 })
        {
            foreach (int maxChunk in new[] { 1, 2, 5, 40, 1000 })
            {
                data.Add(window, maxChunk, (window * 31) + maxChunk);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void HampelFilter_RandomChunking_EqualsOneShotBitwise(int window, int maxChunk, int seed)
    {
        foreach (int length in new[] { 0, 1, window / 2, window - 1, window, window + 1, 3000 })
        {
            float[] x = SignalFactory.Nasty(length, seed + length);
            var expected = new float[length];
            int expectedReplaced = Hampel.Apply(x, expected, window);

            var filter = new HampelFilter(window);
            var actual = Stream(filter, x, SignalFactory.Chunking(length, maxChunk, seed));

            SignalFactory.AssertBitwiseEqual(expected, actual);
            Assert.Equal(expectedReplaced, filter.ReplacedCount);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RollingMedianFilter_RandomChunking_EqualsOneShotBitwise(int window, int maxChunk, int seed)
    {
        float[] x = SignalFactory.Nasty(2000, seed);
        var expected = new float[x.Length];
        RollingMedian.Apply(x, expected, window);

        var actual = Stream(new RollingMedianFilter(window), x, SignalFactory.Chunking(x.Length, maxChunk, seed));

        SignalFactory.AssertBitwiseEqual(expected, actual);
    }

    [Fact]
    public void Process_OutputTrailsInputByHalfAWindow()
    {
        var filter = new HampelFilter(7);
        var output = new float[10];

        Assert.Equal(3, filter.LatencySamples);
        Assert.Equal(0, filter.Process([1f, 2f, 3f], output));
        Assert.Equal(1, filter.Process([4f], output));
        Assert.Equal(1f, output[0]);
        Assert.Equal(4, filter.Process([5f, 6f, 7f, 8f], output));
        Assert.Equal(3, filter.Flush(output));
        Assert.Equal(0, filter.SamplesIn);
    }

    [Fact]
    public void Flush_ThenNewStream_StartsWithFreshEdges()
    {
        var filter = new HampelFilter(7);
        float[] x = [1, 2, 3, 100, 5, 6, 7];
        var output = new float[7];

        int written = filter.Process(x, output);
        written += filter.Flush(output.AsSpan(written));
        Assert.Equal([1f, 2, 3, 5, 5, 6, 7], output);

        // The second stream's first samples are edges again: a spike at index 1 passes through.
        float[] second = [1, 100, 3, 4, 5, 6, 7];
        written = filter.Process(second, output);
        written += filter.Flush(output.AsSpan(written));
        Assert.Equal(7, written);
        Assert.Equal(second, output);
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        float[] x = SignalFactory.Nasty(8192, 5);
        var output = new float[8192];
        var hampel = new HampelFilter(7);
        var median = new RollingMedianFilter(5);
        hampel.Process(x.AsSpan(0, 100), output);
        median.Process(x.AsSpan(0, 100), output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 8192; i += 512)
        {
            hampel.Process(x.AsSpan(i, 512), output);
            median.Process(x.AsSpan(i, 512), output);
            hampel.Process(x.AsSpan(i, 1), output);
        }

        hampel.Flush(output);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);
    }

    internal static float[] Stream(CentredWindowFilter filter, float[] x, List<int> chunks)
    {
        var result = new float[x.Length];
        var scratch = new float[x.Length + filter.LatencySamples];
        int offset = 0;
        int written = 0;
        foreach (int n in chunks)
        {
            int w = filter.Process(x.AsSpan(offset, n), scratch);
            Assert.InRange(w, 0, n);
            scratch.AsSpan(0, w).CopyTo(result.AsSpan(written));
            written += w;
            offset += n;
        }

        int f = filter.Flush(scratch);
        Assert.InRange(f, 0, filter.LatencySamples);
        scratch.AsSpan(0, f).CopyTo(result.AsSpan(written));
        Assert.Equal(x.Length, written + f);
        return result;
    }
}
