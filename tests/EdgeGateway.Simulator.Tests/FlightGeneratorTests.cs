using System.Globalization;
using System.Text;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Tests;

public class FlightGeneratorTests
{
    private static byte[] FrameBytes(FlightOptions options, out string labelsJson, out string csv)
    {
        using var frames = new MemoryStream();
        var sink = new FrameWordSink(frames);
        using var csvWriter = new StringWriter(CultureInfo.InvariantCulture);
        var labels = new FlightGenerator(TestFlights.Table, options).Run(sink, csvWriter);
        using var json = new MemoryStream();
        labels.Save(json);
        labelsJson = Encoding.UTF8.GetString(json.ToArray());
        csv = csvWriter.ToString();
        return frames.ToArray();
    }

    [Fact]
    public void Run_SameSeedAndOptions_IdenticalBytesLabelsAndSamples()
    {
        var faults = new[] { new FaultSpec(FaultKind.BearingWear, 2), new FaultSpec(FaultKind.SensorNoiseBurst, 1, new FaultStart(null, 0.3)) };
        byte[] a = FrameBytes(TestFlights.Short(seed: 5, turbulence: 10, faults: faults), out string labelsA, out string csvA);
        byte[] b = FrameBytes(TestFlights.Short(seed: 5, turbulence: 10, faults: faults), out string labelsB, out string csvB);

        Assert.True(a.Length > 100_000);
        Assert.Equal(a, b);
        Assert.Equal(labelsA, labelsB);
        Assert.Equal(csvA, csvB);
    }

    [Fact]
    public void Run_DifferentSeed_DifferentBytes()
    {
        byte[] a = FrameBytes(TestFlights.Short(seed: 5), out _, out _);
        byte[] b = FrameBytes(TestFlights.Short(seed: 6), out _, out _);

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(1.5)]
    [InlineData(14)]
    public void Plan_AnyLength_AllPhasesInOrderTilingTheFlight(double hours)
    {
        var plan = new FlightPlan(hours * 3600);

        Assert.Equal(Enum.GetValues<FlightPhaseKind>(), plan.Phases.Select(p => p.Kind));
        Assert.Equal(0, plan.Phases[0].StartSeconds);
        Assert.Equal(hours * 3600, plan.Phases[^1].EndSeconds, 6);
        for (int i = 0; i < plan.Phases.Count; i++)
        {
            Assert.True(plan.Phases[i].DurationSeconds > 0, $"{plan.Phases[i].Name} is empty");
            if (i > 0)
            {
                Assert.Equal(plan.Phases[i - 1].EndSeconds, plan.Phases[i].StartSeconds);
            }
        }
    }

    [Fact]
    public void Plan_LongerFlight_OnlyCruiseStretches()
    {
        var short2 = new FlightPlan(2 * 3600);
        var long14 = new FlightPlan(14 * 3600);

        foreach (var kind in Enum.GetValues<FlightPhaseKind>().Where(k => k != FlightPhaseKind.Cruise))
        {
            Assert.Equal(short2[kind].DurationSeconds, long14[kind].DurationSeconds, 6);
        }

        Assert.Equal(12 * 3600, long14[FlightPhaseKind.Cruise].DurationSeconds - short2[FlightPhaseKind.Cruise].DurationSeconds, 6);
    }

    [Fact]
    public void Run_Labels_NamePhasesInOrderAndEnginesWithSerials()
    {
        var (words, labels) = TestFlights.Generate(TestFlights.Short());

        Assert.Equal(["taxi-out", "take-off", "climb", "cruise", "descent", "landing", "taxi-in"], labels.Phases.Select(p => p.Name));
        Assert.Equal(words.Count, labels.Words);
        Assert.Equal(2, labels.Engines.Count);
        Assert.All(labels.Engines, e => Assert.Matches("^[0-9]{6}$", e.Serial));
        Assert.Equal(labels.StartUtc.AddSeconds(labels.Phases[1].StartSeconds), labels.Phases[1].StartUtc, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Run_PhasesShowInTheData_TakeOffHighN1AndTaxiAtIdle()
    {
        var (words, labels) = TestFlights.Generate(TestFlights.Short(hours: 1.2));
        var n1ByPhase = labels.Phases.ToDictionary(p => p.Name, _ => new List<double>());
        foreach (var w in words)
        {
            var (channel, value) = TestFlights.Decode(w.Word);
            if (channel.Parameter == "N1")
            {
                double t = TestFlights.SecondsOf(w, labels);
                n1ByPhase[labels.Phases.First(p => t < p.EndSeconds || p == labels.Phases[^1]).Name].Add(value);
            }
        }

        Assert.InRange(n1ByPhase["taxi-out"].Average(), 18, 26);
        Assert.InRange(n1ByPhase["take-off"].Max(), 84, 95);
        Assert.InRange(n1ByPhase["cruise"].Average(), 80, 88);
        Assert.InRange(n1ByPhase["descent"].Average(), 25, 45);
        Assert.InRange(n1ByPhase["taxi-in"].Average(), 18, 26);
    }

    [Fact]
    public void Run_EveryWord_DecodesWithTheTableNormalAndInRange()
    {
        var (words, _) = TestFlights.Generate(TestFlights.Short(turbulence: 20));
        Span<DecodedValue> values = stackalloc DecodedValue[4];

        foreach (var w in words)
        {
            Assert.True(new ArincWord(w.Word).ParityOk);
            Assert.Equal(DecodeOutcome.Decoded, TestFlights.Table.Decode(w.Word, values, out int n));
            Assert.Equal(1, n);
            Assert.Equal(WordStatus.Normal, values[0].Status);
            Assert.Equal(ValueChecks.None, values[0].Checks);
        }
    }

    [Fact]
    public void Run_WordEncoding_EqualsLabelTableEncode()
    {
        var (words, _) = TestFlights.Generate(TestFlights.Short(hours: 0.05));

        foreach (var w in words.Take(2000))
        {
            var (channel, value) = TestFlights.Decode(w.Word);
            Assert.Equal(TestFlights.Table.Encode(channel.Id, value), w.Word);
        }
    }

    [Fact]
    public void Run_WordRates_MatchTableExpectedRates()
    {
        var options = TestFlights.Short(hours: 0.3);
        var (words, labels) = TestFlights.Generate(options);
        var counts = words.GroupBy(w => TestFlights.Decode(w.Word).Channel.Id).ToDictionary(g => g.Key, g => g.Count());

        foreach (var channel in TestFlights.Table.Channels)
        {
            double expected = channel.Entry.ExpectedRateHz * labels.DurationSeconds;
            Assert.True(counts.TryGetValue(channel.Id, out int actual), $"{channel.DisplayName} never sent");
            Assert.InRange(actual, (expected * 0.99) - 2, (expected * 1.01) + 2);
        }
    }

    [Fact]
    public void Run_Timing_JitteredWithinBoundsNeverOverlappingOnABus()
    {
        var (words, labels) = TestFlights.Generate(TestFlights.Short(hours: 0.1));
        var lastByChannel = new Dictionary<int, ulong>();
        var lastOnBus = new Dictionary<byte, ulong>();
        var intervals = new List<double>();
        ulong previous = 0;

        foreach (var w in words)
        {
            Assert.True(w.TimestampMicros >= previous, "timestamps go backwards");
            previous = w.TimestampMicros;
            if (lastOnBus.TryGetValue(w.Channel, out ulong busLast))
            {
                Assert.True(w.TimestampMicros - busLast >= 36 * 80, "words overlap on a low-speed bus");
            }

            lastOnBus[w.Channel] = w.TimestampMicros;
            var channel = TestFlights.Decode(w.Word).Channel;
            if (lastByChannel.TryGetValue(channel.Id, out ulong last) && channel.Parameter == "N1")
            {
                intervals.Add((w.TimestampMicros - last) / 1e6);
            }

            lastByChannel[channel.Id] = w.TimestampMicros;
        }

        // 16 Hz labels: period 62.5 ms, jitter of about 1% - not a fixed period, not far from it.
        Assert.InRange(intervals.Min(), 0.055, 0.0625);
        Assert.InRange(intervals.Max(), 0.0625, 0.075);
        Assert.True(intervals.Distinct().Count() > 50);
        Assert.True(words[0].TimestampMicros >= labels.TimestampOffsetMicros);
    }

    [Fact]
    public void Run_PerEngineBuses_EngineNOnChannelNMinus1_SingleBusAllOnZero()
    {
        var (perEngine, _) = TestFlights.Generate(TestFlights.Short(hours: 0.05));
        var options = TestFlights.Short(hours: 0.05);
        var (shared, _) = TestFlights.Generate(new FlightOptions { Seed = options.Seed, Duration = options.Duration, TurbulencePerHour = 0, Buses = BusLayout.Shared });

        Assert.All(perEngine, w => Assert.Equal(TestFlights.Decode(w.Word).Channel.EnginePosition - 1, w.Channel));
        Assert.All(shared, w => Assert.Equal(0, w.Channel));
    }

    [Fact]
    public void Run_SerialLabels_CarryTheEngineSerialNumbers()
    {
        var options = new FlightOptions { Duration = TimeSpan.FromMinutes(3), EngineSerials = [577123, 579456] };
        var (words, labels) = TestFlights.Generate(options);
        var seen = new HashSet<string>();

        foreach (var w in words)
        {
            var (channel, value) = TestFlights.Decode(w.Word);
            if (channel.Parameter.StartsWith("Serial", StringComparison.Ordinal))
            {
                seen.Add($"{channel.EnginePosition}:{channel.Parameter}={value}");
            }
        }

        Assert.Equal(["1:SerialHigh=577", "1:SerialLow=123", "2:SerialHigh=579", "2:SerialLow=456"], seen.Order());
        Assert.Equal(["577123", "579456"], labels.Engines.Select(e => e.Serial));
    }

    [Fact]
    public void Run_DefaultSerials_FollowTheTailNotTheSeed()
    {
        var a = new FlightGenerator(TestFlights.Table, new FlightOptions { Seed = 1, TailNumber = "D-AIZA" });
        var b = new FlightGenerator(TestFlights.Table, new FlightOptions { Seed = 2, TailNumber = "D-AIZA" });
        var c = new FlightGenerator(TestFlights.Table, new FlightOptions { Seed = 1, TailNumber = "D-AIZB" });

        Assert.Equal(a.EngineSerials, b.EngineSerials);
        Assert.NotEqual(a.EngineSerials, c.EngineSerials);
        Assert.NotEqual(a.EngineSerials[0], a.EngineSerials[1]);
    }

    [Fact]
    public void Run_Engines_DifferFromEachOther()
    {
        var (words, _) = TestFlights.Generate(TestFlights.Short(hours: 0.3));
        double MeanOf(int engine, string parameter) => words
            .Select(w => TestFlights.Decode(w.Word))
            .Where(d => d.Channel.EnginePosition == engine && d.Channel.Parameter == parameter)
            .Average(d => d.Value);

        Assert.NotEqual(MeanOf(1, "EGT"), MeanOf(2, "EGT"), 1);
        Assert.NotEqual(MeanOf(1, "OilQuantity"), MeanOf(2, "OilQuantity"), 0.1);
    }

    [Fact]
    public void Constructor_FaultOnMissingEngine_ThrowsNamingIt()
    {
        var options = TestFlights.Short(faults: new FaultSpec(FaultKind.OilLeak, 3));

        var e = Assert.Throws<FlightOptionsException>(() => new FlightGenerator(TestFlights.Table, options));

        Assert.Contains("engine 3 does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FaultAfterTheEnd_Throws()
    {
        var options = TestFlights.Short(faults: new FaultSpec(FaultKind.OilLeak, 1, new FaultStart(TimeSpan.FromHours(1), null)));

        var e = Assert.Throws<FlightOptionsException>(() => new FlightGenerator(TestFlights.Table, options));

        Assert.Contains("after the end", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsSaveLoad_RoundTrip_Equal()
    {
        var (_, labels) = TestFlights.Generate(TestFlights.Short(turbulence: 30, faults: new FaultSpec(FaultKind.SensorDrift, 2)));
        using var folder = new TempFolder();
        string path = folder.File("f.labels.json");

        labels.Save(path);
        var loaded = FlightLabels.Load(path);

        Assert.Equal(labels.Seed, loaded.Seed);
        Assert.Equal(labels.Phases, loaded.Phases);
        Assert.Equal(labels.Faults[0].Kind, loaded.Faults[0].Kind);
        Assert.Equal(labels.Faults[0].Parameters, loaded.Faults[0].Parameters);
        Assert.Equal(labels.Faults[0].Settings, loaded.Faults[0].Settings);
        Assert.Equal(labels.Turbulence.Count, loaded.Turbulence.Count);
        Assert.Contains("\"sensor-drift\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DeterioratedEngine_HotterFromTheFirstWordAndNotAFault()
    {
        var baseline = TestFlights.Short(seed: 4);
        var worn = new FlightOptions
        {
            Seed = 4,
            Duration = baseline.Duration,
            TurbulencePerHour = 0,
            EngineConditions = [EngineCondition.New, new EngineCondition(EgtOffset: 30)],
        };
        var (newWords, _) = TestFlights.Generate(baseline);
        var (wornWords, labels) = TestFlights.Generate(worn);

        double MeanEgt(List<BusWord> words, int engine) => words.Select(w => TestFlights.Decode(w.Word))
            .Where(d => d.Channel.EnginePosition == engine && d.Channel.Parameter == "EGT").Average(d => d.Value);

        Assert.Equal(30, MeanEgt(wornWords, 2) - MeanEgt(newWords, 2), 1.0);
        Assert.Equal(MeanEgt(newWords, 1), MeanEgt(wornWords, 1), 6);
        Assert.Equal(30, labels.Engines[1].Condition.EgtOffset);
        Assert.Empty(labels.Faults);
    }

    [Fact]
    public void Constructor_ConditionsForWrongEngineCount_Throws()
    {
        var options = new FlightOptions { EngineConditions = [new EngineCondition()] };

        var e = Assert.Throws<FlightOptionsException>(() => new FlightGenerator(TestFlights.Table, options));

        Assert.Contains("1 engine conditions given for 2 engines", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SameGeneratorTwice_SameWords()
    {
        var generator = new FlightGenerator(TestFlights.Table, TestFlights.Short(hours: 0.05, faults: [new FaultSpec(FaultKind.SensorStuck, 1, new FaultStart(null, 0.3)), new FaultSpec(FaultKind.SensorNoiseBurst, 2, new FaultStart(null, 0.3))]));
        var first = new CollectingSink();
        var second = new CollectingSink();

        generator.Run(first);
        generator.Run(second);

        Assert.Equal(first.Words, second.Words);
    }
}
