using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Tests.Conditioning;

public class WindowBuilderTests
{
    [Fact]
    public void TryBuild_TwoChannels_RowMajorInConfiguredOrderWithStride()
    {
        // Columns: egt then n1. Rows are grid samples; windows of 3 rows every 2 samples.
        var builder = new WindowBuilder(3, 2, ["egt", "n1"]);
        builder.Append(builder.ChannelIndex("n1"), 10, [1f, 2, 3, 4, 5]);
        builder.Append(builder.ChannelIndex("egt"), 10, [100f, 200, 300, 400, 500]);
        var window = new float[builder.WindowValues];

        Assert.True(builder.TryBuild(window, out long start));
        Assert.Equal(10, start);
        Assert.Equal([100f, 1, 200, 2, 300, 3], window);

        Assert.True(builder.TryBuild(window, out start));
        Assert.Equal(12, start);
        Assert.Equal([300f, 3, 400, 4, 500, 5], window);

        Assert.False(builder.TryBuild(window, out _));
        Assert.Equal(2, builder.WindowsBuilt);
    }

    [Fact]
    public void TryBuild_ChannelsStartingAtDifferentGridIndices_AlignOnTheLaterStart()
    {
        var builder = new WindowBuilder(2, 1, ["a", "b"]);
        builder.Append(0, 0, [0f, 1, 2, 3]);
        builder.Append(1, 2, [20f, 30]);
        var window = new float[4];

        Assert.True(builder.TryBuild(window, out long start));
        Assert.Equal(2, start);
        Assert.Equal([2f, 20, 3, 30], window);
    }

    [Fact]
    public void TryBuild_WindowWithGap_SkippedAndCounted()
    {
        var builder = new WindowBuilder(2, 2, ["a"]);
        builder.Append(0, 0, [1f, 2, float.NaN, 4, 5, 6]);
        var window = new float[2];

        Assert.True(builder.TryBuild(window, out long start));
        Assert.Equal(0, start);
        Assert.True(builder.TryBuild(window, out start)); // [NaN, 4] is skipped
        Assert.Equal(4, start);
        Assert.Equal([5f, 6], window);
        Assert.Equal(1, builder.WindowsSkipped);
    }

    [Fact]
    public void Append_JumpForward_LeavesNaNSoWindowsAcrossItAreSkipped()
    {
        var builder = new WindowBuilder(2, 1, ["a"]);
        builder.Append(0, 0, [1f, 2]);
        builder.Append(0, 4, [5f, 6]);
        var window = new float[2];
        var starts = new List<long>();
        while (builder.TryBuild(window, out long s))
        {
            starts.Add(s);
        }

        Assert.Equal([0L, 4], starts);
        Assert.Equal(3, builder.WindowsSkipped); // starts 1, 2, 3 touch the missing samples 2 and 3
    }

    [Fact]
    public void Append_RingFull_TakesWhatFitsAndTheRestLater()
    {
        var builder = new WindowBuilder(2, 2, ["a", "b"], capacitySamples: 4);
        var data = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();

        Assert.Equal(4, builder.Append(0, 0, data));
        Assert.Equal(4, builder.Append(1, 0, data));
        var window = new float[4];
        Assert.True(builder.TryBuild(window, out _));
        Assert.Equal(2, builder.Append(0, 4, data.AsSpan(4)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    public void TryBuild_StreamedInChunks_SameWindowsAsOneAppend(int maxChunk)
    {
        var rng = new Random(maxChunk);
        var a = Enumerable.Range(0, 500).Select(_ => rng.NextDouble() < 0.01 ? float.NaN : (float)rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 500).Select(_ => (float)rng.NextDouble()).ToArray();

        var whole = new WindowBuilder(16, 5, ["a", "b"]);
        whole.Append(0, 100, a);
        whole.Append(1, 100, b);
        var expected = Drain(whole);

        var streamed = new WindowBuilder(16, 5, ["a", "b"], capacitySamples: 64);
        var actual = new List<float>();
        int pa = 0;
        int pb = 0;
        var chunksA = SignalFactory.Chunking(500, maxChunk, 1);
        var chunksB = SignalFactory.Chunking(500, maxChunk, 2);
        int ia = 0;
        int ib = 0;
        while (pa < 500 || pb < 500)
        {
            if (ia < chunksA.Count)
            {
                int n = chunksA[ia++];
                pa += streamed.Append(0, 100 + pa, a.AsSpan(pa, n));
            }

            if (ib < chunksB.Count)
            {
                int n = chunksB[ib++];
                pb += streamed.Append(1, 100 + pb, b.AsSpan(pb, n));
            }

            actual.AddRange(Drain(streamed));
            if (ia >= chunksA.Count && pa < 500)
            {
                chunksA.Add(500 - pa);
            }

            if (ib >= chunksB.Count && pb < 500)
            {
                chunksB.Add(500 - pb);
            }
        }

        Assert.Equal(expected, actual);
        Assert.Equal(whole.WindowsSkipped, streamed.WindowsSkipped);
        Assert.True(whole.WindowsSkipped > 0);
    }

    [Fact]
    public void TryBuild_SteadyState_AllocatesNothing()
    {
        var builder = new WindowBuilder(32, 8, ["a", "b", "c"]);
        var data = Enumerable.Range(0, 2048).Select(i => (float)i).ToArray();
        var window = new float[builder.WindowValues];

        long before = GC.GetAllocatedBytesForCurrentThread();
        int built = 0;
        for (int i = 0; i < 2048; i += 256)
        {
            for (int c = 0; c < 3; c++)
            {
                builder.Append(c, i, data.AsSpan(i, 256));
            }

            while (builder.TryBuild(window, out _))
            {
                built++;
            }
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(built > 200);
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void TryBuild_StrideLongerThanWindow_SkipsTheSamplesBetween()
    {
        var builder = new WindowBuilder(2, 5, ["a"]);
        var window = new float[2];
        var starts = new List<long>();
        for (int i = 0; i < 12; i++)
        {
            builder.Append(0, i, [i]);
            while (builder.TryBuild(window, out long s))
            {
                starts.Add(s);
                Assert.Equal([(float)s, s + 1], window);
            }
        }

        Assert.Equal([0L, 5, 10], starts);
    }

    [Fact]
    public void Constructor_DuplicateChannels_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WindowBuilder(4, 1, ["a", "a"]));
        Assert.Contains("distinct", ex.Message, StringComparison.Ordinal);
    }

    // Columns for the stand-in tests: "egt" (required) and "egt@other" (optional, stood in for by
    // 2 x egt + 1), windows of 3 rows every row, patience 2 samples.
    private static WindowBuilder StandInBuilder()
    {
        var builder = new WindowBuilder(3, 1, ["egt", "egt@other"]);
        builder.SetStandIn(1, 0, 2, 1, patienceSamples: 2);
        return builder;
    }

    [Fact]
    public void TryBuild_OptionalColumnComplete_TakesItsOwnValues()
    {
        var builder = StandInBuilder();
        builder.Append(0, 0, [1f, 2, 3]);
        builder.Append(1, 0, [10f, 20, 30]);

        Assert.Equal([0f, 1, 10, 2, 20, 3, 30], Drain(builder));
        Assert.Equal(0, builder.WindowsWithStandIn);
    }

    [Fact]
    public void TryBuild_GapInOptionalColumn_WholeColumnStoodInOnlyInWindowsHoldingIt()
    {
        var builder = StandInBuilder();
        builder.Append(0, 0, [1f, 2, 3, 4, 5, 6]);
        builder.Append(1, 0, [10f, 20, float.NaN, 40, 50, 60]);

        // Windows 0-2, 1-3 and 2-4 hold the gap: the whole column is 2 x egt + 1; window 3-5 is its own again.
        Assert.Equal([0f, 1, 3, 2, 5, 3, 7, 1f, 2, 5, 3, 7, 4, 9, 2f, 3, 7, 4, 9, 5, 11, 3f, 4, 40, 5, 50, 6, 60], Drain(builder));
        Assert.Equal(3, builder.WindowsWithStandIn);
        Assert.Equal(0, builder.WindowsSkipped);
    }

    [Fact]
    public void TryBuild_GapInRequiredColumn_StillSkipped()
    {
        var builder = StandInBuilder();
        builder.Append(0, 0, [1f, float.NaN, 3, 4, 5]);
        builder.Append(1, 0, [10f, 20, 30, 40, 50]);

        Assert.Equal([2f, 3, 30, 4, 40, 5, 50], Drain(builder));
        Assert.Equal(2, builder.WindowsSkipped);
    }

    [Fact]
    public void TryBuild_OptionalColumnSilent_WaitsForThePatienceThenStandsIn()
    {
        var builder = StandInBuilder();
        builder.Append(1, 0, [10f, 20]);
        var window = new float[builder.WindowValues];

        // The required column reaches the window's end, then one past it: still waiting (patience 2).
        builder.Append(0, 0, [1f, 2, 3, 4]);
        Assert.False(builder.TryBuild(window, out _));

        // Two past it: the optional column is given up on for this window.
        builder.Append(0, 4, [5f]);
        Assert.True(builder.TryBuild(window, out long start));
        Assert.Equal(0, start);
        Assert.Equal([1f, 3, 2, 5, 3, 7], window);
        Assert.False(builder.TryBuild(window, out _));

        // What the optional column sends later lands at its grid index, after a gap.
        builder.Append(1, 5, [60f, 70, 80]);
        builder.Append(0, 5, [6f, 7, 8]);
        Assert.Equal([1f, 2, 5, 3, 7, 4, 9, 2f, 3, 7, 4, 9, 5, 11, 3f, 4, 9, 5, 11, 6, 13, 4f, 5, 11, 6, 13, 7, 15, 5f, 6, 60, 7, 70, 8, 80], Drain(builder));
    }

    [Fact]
    public void TryBuild_OptionalColumnNeverSent_OriginOnTheRequiredColumnsAndStopWaitingBuildsTheRest()
    {
        var builder = StandInBuilder();
        builder.Append(0, 5, [1f, 2, 3, 4]);
        var window = new float[builder.WindowValues];
        Assert.False(builder.TryBuild(window, out _));

        builder.StopWaiting();

        Assert.Equal([5f, 1, 3, 2, 5, 3, 7, 6f, 2, 5, 3, 7, 4, 9], Drain(builder));
        Assert.Equal(2, builder.WindowsWithStandIn);
    }

    [Fact]
    public void TryBuild_OptionalColumnStartingLate_OriginWaitsForIt()
    {
        var builder = StandInBuilder();
        builder.Append(0, 0, [1f, 2, 3, 4, 5]);
        builder.Append(1, 2, [30f, 40, 50]);

        // Within the patience the origin is the latest start of all columns, as without stand-ins.
        Assert.Equal([2f, 3, 30, 4, 40, 5, 50], Drain(builder));
        Assert.Equal(0, builder.WindowsWithStandIn);
    }

    [Fact]
    public void TryBuild_OptionalColumnStartingAfterTheOriginWasGivenUp_StoodInNotReadFromTheRing()
    {
        var builder = StandInBuilder();
        builder.Append(0, 0, [1f, 2, 3, 4, 5]);
        var window = new float[builder.WindowValues];

        // Required 2 past the first window's end: the origin is fixed without the optional column.
        Assert.True(builder.TryBuild(window, out long start));
        Assert.Equal(0, start);
        builder.Append(1, 2, [30f, 40, 50]);

        // Windows 1-3 starts before the optional column's first sample: stood in; window 2-4 is its own.
        Assert.Equal([1f, 2, 5, 3, 7, 4, 9, 2f, 3, 30, 4, 40, 5, 50], Drain(builder));
    }

    [Fact]
    public void TryBuild_OneOptionalColumnWithAGap_AllOptionalColumnsStandInTogether()
    {
        var builder = new WindowBuilder(2, 2, ["egt", "n1", "egt@other", "n1@other"]);
        builder.SetStandIn(2, 0, 1, 0, 0);
        builder.SetStandIn(3, 1, 1, 0, 0);
        builder.Append(0, 0, [1f, 2, 3, 4]);
        builder.Append(1, 0, [5f, 6, 7, 8]);
        builder.Append(2, 0, [10f, float.NaN, 30, 40]);
        builder.Append(3, 0, [50f, 60, 70, 80]);

        // Window 0-1: egt@other has a gap, so n1@other (complete) is this engine's n1 too.
        Assert.Equal([0f, 1, 5, 1, 5, 2, 6, 2, 6, 2f, 3, 7, 30, 70, 4, 8, 40, 80], Drain(builder));
        Assert.Equal(1, builder.WindowsWithStandIn);
    }

    [Fact]
    public void SetStandIn_BadArguments_Throw()
    {
        var builder = new WindowBuilder(3, 1, ["a", "a@other", "b"]);
        Assert.Throws<ArgumentException>(() => builder.SetStandIn(1, 1, 1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.SetStandIn(1, 3, 1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.SetStandIn(1, 0, 1, 0, -1));
        Assert.Throws<ArgumentException>(() => builder.SetStandIn(1, 0, double.NaN, 0, 0));
        builder.SetStandIn(1, 0, 1, 0, 0);
        var ex = Assert.Throws<ArgumentException>(() => builder.SetStandIn(2, 1, 1, 0, 0));
        Assert.Contains("'a@other' cannot stand in for 'b'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder.SetStandIn(0, 2, 1, 0, 0));
        builder.Append(2, 0, [1f]);
        Assert.Throws<InvalidOperationException>(() => builder.SetStandIn(2, 0, 1, 0, 0));
    }

    [Fact]
    public void StandIn_SameArithmeticAsTheLab()
    {
        // (float)(v x scale + offset) in double: not the float product.
        float v = 1.1f;
        Assert.Equal((float)((1.1f * 3.3) + 0.7), WindowBuilder.StandIn(v, 3.3, 0.7));
    }

    private static List<float> Drain(WindowBuilder builder)
    {
        var all = new List<float>();
        var window = new float[builder.WindowValues];
        while (builder.TryBuild(window, out long start))
        {
            all.Add(start);
            all.AddRange(window);
        }

        return all;
    }
}

public class WindowBuilderFromChainsTests
{
    [Fact]
    public void TryBuild_FedByTwoChains_WindowsHoldBothChannelsOnTheSameGrid()
    {
        // Two channels at ~10 Hz with different jitter and start times, resampled at 10 Hz: v = t in seconds on
        // one channel and 2t on the other, so every row of a window must read (t, 2t) for the same t.
        var options = new ConditioningOptions { Resample = new ResampleOptions { OutputPeriod = TimeSpan.FromMilliseconds(100) } };
        var builder = new WindowBuilder(8, 4, ["a", "b"]);
        using var chainA = new ConditioningChain(options);
        using var chainB = new ConditioningChain(options);
        var rng = new Random(3);
        var output = new float[1024];
        var window = new float[builder.WindowValues];
        int windows = 0;
        for (int chunk = 0; chunk < 20; chunk++)
        {
            foreach (var (chain, column, scale, offsetMs) in new[] { (chainA, 0, 1f, 0), (chainB, 1, 2f, 230) })
            {
                var t = new long[16];
                var v = new float[16];
                for (int i = 0; i < 16; i++)
                {
                    long ms = offsetMs + (((chunk * 16) + i) * 100) + rng.Next(-20, 20);
                    t[i] = ms * TimeSpan.TicksPerMillisecond;
                    v[i] = scale * ms / 1000f;
                }

                chain.Process(t, v, output, out _, out int written);
                builder.Append(column, chain.NextGridIndex - written, output.AsSpan(0, written));
            }

            while (builder.TryBuild(window, out long start))
            {
                windows++;
                for (int r = 0; r < 8; r++)
                {
                    float seconds = (start + r) * 0.1f;
                    Assert.Equal(seconds, window[2 * r], 2);
                    Assert.Equal(2 * seconds, window[(2 * r) + 1], 2);
                }
            }
        }

        Assert.True(windows > 60);
        Assert.Equal(0, builder.WindowsSkipped);
    }
}
