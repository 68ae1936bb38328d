using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Tests;

/// <summary>Each fault changes its parameters after its start and nothing before, compared with the same flight without it.</summary>
public class FaultInjectionTests
{
    private const double StartFraction = 0.5;

    private static (List<BusWord> Clean, List<BusWord> Faulty, FlightLabels Labels) Pair(FaultKind kind, int engine = 2, EngineParameter? parameter = null)
    {
        var spec = new FaultSpec(kind, engine, new FaultStart(null, StartFraction), parameter);
        var (clean, _) = TestFlights.Generate(TestFlights.Short(seed: 21, turbulence: 4));
        var (faulty, labels) = TestFlights.Generate(TestFlights.Short(seed: 21, turbulence: 4, faults: spec));
        return (clean, faulty, labels);
    }

    public static TheoryData<FaultKind> ValueFaults => new()
    {
        FaultKind.BearingWear, FaultKind.OilLeak, FaultKind.EgtMarginLoss,
        FaultKind.SensorStuck, FaultKind.SensorDrift, FaultKind.SensorNoiseBurst,
    };

    [Theory]
    [MemberData(nameof(ValueFaults))]
    public void Run_WithFault_ChangesOnlyItsParametersAndOnlyAfterStart(FaultKind kind)
    {
        var (clean, faulty, labels) = Pair(kind);
        var fault = Assert.Single(labels.Faults);
        Assert.Equal(FaultKinds.NameOf(kind), fault.Kind);
        Assert.Equal(0.5 * labels.DurationSeconds, fault.StartSeconds, 6);
        Assert.Equal(clean.Count, faulty.Count);

        var changed = new HashSet<string>();
        for (int i = 0; i < clean.Count; i++)
        {
            Assert.Equal(clean[i].TimestampMicros, faulty[i].TimestampMicros);
            if (clean[i].Word == faulty[i].Word)
            {
                continue;
            }

            var (channel, _) = TestFlights.Decode(faulty[i].Word);
            double t = TestFlights.SecondsOf(faulty[i], labels);
            Assert.True(t >= fault.StartSeconds, $"{channel.DisplayName} changed at {t:0.000} s, before the fault's start {fault.StartSeconds} s");
            Assert.Equal(2, channel.EnginePosition);
            Assert.Contains(channel.Parameter, fault.Parameters);
            changed.Add(channel.Parameter);
        }

        // The primary parameter always shows it.
        Assert.Contains(fault.Parameters[0], changed);
    }

    [Fact]
    public void Run_BearingWear_RaisesTheRotorsVibration()
    {
        var (clean, faulty, labels) = Pair(FaultKind.BearingWear, parameter: EngineParameter.N2Vibration);

        double rise = LateMean(faulty, labels, 2, "N2Vibration") - LateMean(clean, labels, 2, "N2Vibration");

        Assert.Equal(["N2Vibration", "OilTemperature"], labels.Faults[0].Parameters);
        Assert.InRange(rise, 0.1, 3.5);
    }

    [Fact]
    public void Run_OilLeak_LowersQuantityAndPressure()
    {
        var (clean, faulty, labels) = Pair(FaultKind.OilLeak);

        Assert.True(LateMean(faulty, labels, 2, "OilQuantity") < LateMean(clean, labels, 2, "OilQuantity") - 0.15);
        Assert.True(LateMean(faulty, labels, 2, "OilPressure") < LateMean(clean, labels, 2, "OilPressure"));
    }

    [Fact]
    public void Run_EgtMarginLoss_RaisesEgtForTheSameN1()
    {
        var (clean, faulty, labels) = Pair(FaultKind.EgtMarginLoss);

        Assert.InRange(LateMean(faulty, labels, 2, "EGT") - LateMean(clean, labels, 2, "EGT"), 10, 40);
        Assert.Equal(LateMean(clean, labels, 2, "N1"), LateMean(faulty, labels, 2, "N1"), 6);
    }

    [Fact]
    public void Run_SensorStuck_RepeatsOneWordAfterStart()
    {
        var (_, faulty, labels) = Pair(FaultKind.SensorStuck, parameter: EngineParameter.EGT);
        var fault = labels.Faults[0];

        var after = faulty.Where(w => TestFlights.SecondsOf(w, labels) >= fault.StartSeconds + 0.2)
            .Select(w => (TestFlights.Decode(w.Word).Channel, w.Word))
            .Where(d => d.Channel.EnginePosition == 2 && d.Channel.Parameter == "EGT")
            .Select(d => d.Word)
            .Distinct()
            .ToList();

        Assert.Single(after);
    }

    [Fact]
    public void Run_NoiseBurst_EndsAndTheReadingRecovers()
    {
        var (clean, faulty, labels) = Pair(FaultKind.SensorNoiseBurst, parameter: EngineParameter.OilPressure);
        var fault = labels.Faults[0];

        Assert.Equal(fault.StartSeconds + 90, fault.EndSeconds, 6);
        for (int i = 0; i < clean.Count; i++)
        {
            if (TestFlights.SecondsOf(faulty[i], labels) >= fault.EndSeconds + 0.1)
            {
                Assert.Equal(clean[i].Word, faulty[i].Word);
            }
        }
    }

    [Fact]
    public void Run_SensorDropout_LabelStopsAndEverythingElseContinues()
    {
        var (clean, faulty, labels) = Pair(FaultKind.SensorDropout, parameter: EngineParameter.N1Vibration);
        var fault = labels.Faults[0];
        Assert.Equal(["N1Vibration"], fault.Parameters);

        static Dictionary<string, (int Before, int After)> Count(List<BusWord> words, FlightLabels labels, double start)
        {
            var counts = new Dictionary<string, (int, int)>();
            foreach (var w in words)
            {
                string name = TestFlights.Decode(w.Word).Channel.DisplayName;
                var (before, after) = counts.GetValueOrDefault(name);
                counts[name] = TestFlights.SecondsOf(w, labels) < start ? (before + 1, after) : (before, after + 1);
            }

            return counts;
        }

        var cleanCounts = Count(clean, labels, fault.StartSeconds);
        var faultyCounts = Count(faulty, labels, fault.StartSeconds);

        // A word due just before the start may still be on the wire when it begins.
        Assert.InRange(faultyCounts["ENG2 N1Vibration"].After, 0, 1);
        Assert.InRange(faultyCounts["ENG2 N1Vibration"].Before, cleanCounts["ENG2 N1Vibration"].Before - 1, cleanCounts["ENG2 N1Vibration"].Before);
        foreach (var (name, counts) in cleanCounts.Where(c => c.Key != "ENG2 N1Vibration"))
        {
            Assert.Equal(counts.Before + counts.After, faultyCounts[name].Before + faultyCounts[name].After);
        }
    }

    [Fact]
    public void Run_DefaultStartAndParameter_DrawnFromTheSeedInsideTheFlight()
    {
        var a = TestFlights.Generate(TestFlights.Short(seed: 3, faults: new FaultSpec(FaultKind.SensorDrift, 1))).Labels.Faults[0];
        var b = TestFlights.Generate(TestFlights.Short(seed: 3, faults: new FaultSpec(FaultKind.SensorDrift, 1))).Labels.Faults[0];

        Assert.Equal(a.StartSeconds, b.StartSeconds);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Settings, b.Settings);
        Assert.InRange(a.StartSeconds, 0.35 * 720, 0.65 * 720);
        Assert.Single(a.Parameters);
    }

    [Fact]
    public void Run_TwoFaults_EachLabelledWithItsOwnEngine()
    {
        var (_, labels) = TestFlights.Generate(TestFlights.Short(faults: [new FaultSpec(FaultKind.OilLeak, 1), new FaultSpec(FaultKind.BearingWear, 2)]));

        Assert.Equal([("oil-leak", 1), ("bearing-wear", 2)], labels.Faults.Select(f => (f.Kind, f.Engine)));
        Assert.All(labels.Faults, f => Assert.Equal(labels.Engines[f.Engine - 1].Serial, f.Serial));
    }

    /// <summary>Mean of a parameter over the last 40% of the fault's time.</summary>
    private static double LateMean(List<BusWord> words, FlightLabels labels, int engine, string parameter)
    {
        var fault = labels.Faults[0];
        double from = fault.StartSeconds + (0.6 * (fault.EndSeconds - fault.StartSeconds));
        double to = fault.EndSeconds;
        return words
            .Where(w => TestFlights.SecondsOf(w, labels) is var t && t >= from && t < to)
            .Select(w => TestFlights.Decode(w.Word))
            .Where(d => d.Channel.EnginePosition == engine && d.Channel.Parameter == parameter)
            .Average(d => d.Value);
    }
}
