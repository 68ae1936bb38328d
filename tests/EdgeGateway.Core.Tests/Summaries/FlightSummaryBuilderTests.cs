using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Core.Tests.Summaries;

public class FlightSummaryBuilderTests
{
    private static readonly LabelTable s_table = LabelTableLoader.Load(RepoPaths.A320Table);
    private static readonly FlightIdentity s_flight = new("F-TEST", "A320-214", "TST1", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private static readonly FrameCounters s_frames = new(0, 0, 0, 0, false);

    private static int Ch(int engine, string p) => s_table.FindChannel(engine, p);

    [Fact]
    public void Build_KnownValues_StatisticsPerEngine()
    {
        var b = new FlightSummaryBuilder(s_table);
        ulong t = 0;
        foreach (double v in new[] { 20.0, 40.0, 60.0, 80.0 })
        {
            b.Add(t += 50_000, s_table.Encode(Ch(1, "N1"), v));
        }

        b.Add(t += 50_000, s_table.Encode(Ch(2, "SerialHigh"), 779));
        b.Add(t += 50_000, s_table.Encode(Ch(2, "SerialLow"), 42));
        var s = b.Build(s_flight, s_frames);

        var n1 = s.Engines.Single(e => e.Position == 1).Parameters.Single(p => p.Parameter == "N1");
        Assert.Equal(4, n1.Count);
        Assert.Equal(20.0, n1.Min);
        Assert.Equal(80.0, n1.Max);
        Assert.Equal(50.0, n1.Mean);
        // 95th percentile rank = ceil(0.95*4) = 4th value = 80, to within one histogram bin (120/4096).
        Assert.InRange(n1.P95!.Value, 80.0 - (120.0 / 4096), 80.0);
        Assert.Equal("779042", s.Engines.Single(e => e.Position == 2).Serial);
        Assert.Null(s.Engines.Single(e => e.Position == 1).Serial);
        Assert.Equal(6, s.Words);
        Assert.Equal(0.25, s.DurationSeconds, 9);
    }

    [Fact]
    public void Add_BadWords_EachCountedInDataQuality()
    {
        var b = new FlightSummaryBuilder(s_table);
        uint good = s_table.Encode(Ch(1, "EGT"), 600);
        b.Add(1_000, good ^ 1u << 20);                                            // parity
        b.Add(2_000, ArincWord.Create(15 /* 017 octal */, 0, 0, 0).Raw);          // unknown label
        b.Add(3_000, s_table.Encode(Ch(1, "EGT"), 0, WordStatus.NoComputedData)); // NCD
        b.Add(4_000, s_table.Encode(Ch(1, "EGT"), 0, WordStatus.FailureWarning)); // FW
        b.Add(5_000, s_table.Encode(Ch(1, "EGT"), 0, WordStatus.FunctionalTest)); // test
        b.Add(6_000, s_table.Encode(Ch(1, "EGT"), 1500));                         // out of range
        b.Add(5_500, good);                                                       // clock went back
        b.Add(7_000, good, adapterOverflow: true);
        var q = b.Build(s_flight, new FrameCounters(8, 2, 17, 1, true)).DataQuality;

        Assert.Equal(1, q.ParityErrors);
        Assert.Equal(1, q.UnknownLabelWords);
        Assert.Equal(["017/SDI00"], q.UnknownLabels);
        Assert.Equal(1, q.NoComputedData);
        Assert.Equal(1, q.FailureWarnings);
        Assert.Equal(1, q.FunctionalTests);
        Assert.Equal(1, q.OutOfRange);
        Assert.Equal(1, q.ClockJumps);
        Assert.Equal(1, q.AdapterOverflows);
        Assert.Equal(2, q.BadByteRuns);
        Assert.Equal(17, q.BadBytes);
        Assert.True(q.Truncated);
        Assert.False(q.IsClean);
    }

    [Fact]
    public void Add_OnlyValidValuesReturnedForConditioning()
    {
        var b = new FlightSummaryBuilder(s_table);
        Assert.Equal(1, b.Add(1, s_table.Encode(Ch(1, "N2"), 50)).Length);
        Assert.Equal(0, b.Add(2, s_table.Encode(Ch(1, "N2"), 0, WordStatus.NoComputedData)).Length);
        Assert.Equal(0, b.Add(3, s_table.Encode(Ch(1, "N2"), 125)).Length);
    }

    [Fact]
    public void Build_LabelStopsLongerThanTimeout_GapAndStaleReported()
    {
        var b = new FlightSummaryBuilder(s_table);
        int ch = Ch(2, "OilQuantity"); // stale after 3 s
        b.Add(0, s_table.Encode(ch, 12));
        b.Add(1_000_000, s_table.Encode(ch, 12));
        b.Add(11_000_000, s_table.Encode(ch, 12)); // a 10 s hole
        var q = b.Build(s_flight, s_frames).DataQuality;
        var gap = Assert.Single(q.Gaps);
        Assert.Equal("ENG2 OilQuantity", gap.Channel);
        Assert.Equal(10.0, gap.LongestSeconds);
        Assert.Equal(1, q.StaleEvents);
        Assert.Contains("ENG1 N1", q.MissingChannels);
        Assert.DoesNotContain("ENG2 OilQuantity", q.MissingChannels);
    }

    [Fact]
    public void Build_LabelStopsForGood_TrailingGapReported()
    {
        var b = new FlightSummaryBuilder(s_table);
        int egt = Ch(1, "EGT"), n1 = Ch(1, "N1"); // EGT stale after 1 s
        b.Add(0, s_table.Encode(egt, 500));
        for (ulong t = 0; t <= 60_000_000; t += 62_500)
        {
            b.Add(t, s_table.Encode(n1, 50));
        }

        var q = b.Build(s_flight, s_frames).DataQuality;
        var gap = q.Gaps.Single(g => g.Channel == "ENG1 EGT");
        Assert.Equal(1, gap.Count);
        Assert.Equal(60.0, gap.LongestSeconds);
        Assert.False(q.IsClean);
    }

    [Fact]
    public void Json_RoundTrip_KeepsSchemaVersionAndValues()
    {
        var b = new FlightSummaryBuilder(s_table);
        b.Add(10, s_table.Encode(Ch(1, "N1"), 33));
        var s = b.Build(s_flight, s_frames);
        var bytes = FlightSummaryJson.ToUtf8(s);
        string text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"schemaVersion\": 1", text, StringComparison.Ordinal);
        var back = FlightSummaryJson.Parse(bytes);
        Assert.Equal(FlightSummary.CurrentSchemaVersion, back.SchemaVersion);
        Assert.Equal(33.0, back.Engines[0].Parameters.Single(p => p.Parameter == "N1").Max);
        Assert.Equal(bytes, FlightSummaryJson.ToUtf8(back));
    }
}

public class FlightSummaryBuilderAllocationTests
{
    [Fact]
    public void Add_SteadyState_AllocatesNothing()
    {
        var table = LabelTableLoader.Load(RepoPaths.A320Table);
        var b = new FlightSummaryBuilder(table);
        var words = table.Channels.Select(c => table.Encode(c.Id, c.Field.Encoding == ArincEncoding.Bcd ? 5 : c.Field.ValidMin + 1)).ToArray();
        // Warm-up: the first value per channel allocates its histogram, and tiered JIT settles.
        for (int i = 0; i < 200_000; i++)
        {
            b.Add((ulong)i, words[i % words.Length]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            b.Add((ulong)(i + 200_000), words[i % words.Length]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
