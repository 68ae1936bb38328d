using EdgeGateway.Simulator.Flights;

namespace EdgeGateway.Simulator.Tests;

public class TurbulenceTests
{
    [Fact]
    public void Run_Turbulence_ShortLabelledSpikesOnBothEnginesOnly()
    {
        var (calm, _) = TestFlights.Generate(TestFlights.Short(seed: 8, hours: 0.3, turbulence: 0));
        var (rough, labels) = TestFlights.Generate(TestFlights.Short(seed: 8, hours: 0.3, turbulence: 60));
        Assert.NotEmpty(labels.Turbulence);
        Assert.Equal(calm.Count, rough.Count);

        var hitEngines = new HashSet<int>();
        double largest = 0;
        for (int i = 0; i < calm.Count; i++)
        {
            var (channel, roughValue) = TestFlights.Decode(rough[i].Word);
            if (!channel.Parameter.EndsWith("Vibration", StringComparison.Ordinal))
            {
                continue;
            }

            double delta = Math.Abs(roughValue - TestFlights.Decode(calm[i].Word).Value);
            if (delta < 0.05)
            {
                continue;
            }

            double t = TestFlights.SecondsOf(rough[i], labels);
            Assert.Contains(labels.Turbulence, ev => t >= ev.StartSeconds && t <= ev.EndSeconds + 0.2);
            hitEngines.Add(channel.EnginePosition);
            largest = Math.Max(largest, delta);
        }

        Assert.Equal([1, 2], hitEngines.Order());
        Assert.True(largest > 0.3, $"largest spike {largest}");
        Assert.All(labels.Turbulence, ev =>
        {
            Assert.InRange(ev.EndSeconds - ev.StartSeconds, 3, 20);
            Assert.Contains("N1Vibration", ev.Parameters);
            Assert.NotEqual("taxi-out", ev.Phase);
            Assert.NotEqual("taxi-in", ev.Phase);
        });
        Assert.Empty(labels.Faults);
    }

    [Fact]
    public void Run_TurbulenceOff_NoEncounters()
    {
        var (_, labels) = TestFlights.Generate(TestFlights.Short(turbulence: 0));

        Assert.Empty(labels.Turbulence);
    }

    [Fact]
    public void Run_Turbulence_DoesNotChangeTheEngineOutsideEncounters()
    {
        var (calm, _) = TestFlights.Generate(TestFlights.Short(seed: 9, turbulence: 0));
        var (rough, labels) = TestFlights.Generate(TestFlights.Short(seed: 9, turbulence: 40));
        double firstStart = labels.Turbulence.Min(e => e.StartSeconds);

        for (int i = 0; i < calm.Count && TestFlights.SecondsOf(rough[i], labels) < firstStart; i++)
        {
            Assert.Equal(calm[i].Word, rough[i].Word);
        }
    }
}
