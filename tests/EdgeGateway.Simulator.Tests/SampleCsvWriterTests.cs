using System.Globalization;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Tests;

public class SampleCsvWriterTests
{
    private static (string[] Header, List<string[]> Rows, FlightLabels Labels) Samples(FlightOptions options)
    {
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        var labels = new FlightGenerator(TestFlights.Table, options).Run(new CollectingSink(), csv);
        string[] lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList(), labels);
    }

    private static double Number(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);

    [Fact]
    public void Run_SamplesCsv_OneRowPerEnginePerSecondWithMeasuredTrueAndLabelColumns()
    {
        var (header, rows, labels) = Samples(TestFlights.Short(turbulence: 30));

        Assert.Equal(
            "flight,time_s,engine,serial,phase,N1,N2,EGT,FuelFlow,OilPressure,OilTemperature,OilQuantity,N1Vibration,N2Vibration,"
            + "true_N1,true_N2,true_EGT,true_FuelFlow,true_OilPressure,true_OilTemperature,true_OilQuantity,true_N1Vibration,true_N2Vibration,turbulence,fault,anomaly",
            string.Join(',', header));
        Assert.Equal(2 * ((int)labels.DurationSeconds - 1), rows.Count);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        Assert.All(rows, r => Assert.Equal("SIM-11", r[0]));
        Assert.Equal(labels.Phases.Select(p => p.Name), rows.Select(r => r[4]).Distinct());
        int n1 = Array.IndexOf(header, "N1");
        int trueN1 = Array.IndexOf(header, "true_N1");
        Assert.All(rows, r => Assert.InRange(Number(r[n1]) - Number(r[trueN1]), -5, 5));
        int turbulence = Array.IndexOf(header, "turbulence");
        foreach (var r in rows)
        {
            double t = Number(r[1]);
            bool inside = labels.Turbulence.Any(e => t >= e.StartSeconds && t < e.EndSeconds);
            Assert.Equal(inside ? "1" : "0", r[turbulence]);
        }

        Assert.All(rows, r => Assert.Equal(("none", "0"), (r[^2], r[^1])));
    }

    [Fact]
    public void Run_SamplesCsvWithFault_LabelsTheFaultyEngineFromItsStart()
    {
        var (_, rows, labels) = Samples(TestFlights.Short(faults: new FaultSpec(FaultKind.OilLeak, 2, new FaultStart(TimeSpan.FromSeconds(300), null))));

        foreach (var r in rows)
        {
            bool faulty = r[2] == "2" && Number(r[1]) >= 300;
            Assert.Equal(faulty ? ("oil-leak", "1") : ("none", "0"), (r[^2], r[^1]));
        }

        Assert.Equal(300, labels.Faults[0].StartSeconds);
    }

    [Fact]
    public void Run_SamplesCsvWithDropout_CellsGoEmptyOnceTheLabelIsStale()
    {
        var (header, rows, _) = Samples(TestFlights.Short(faults: new FaultSpec(FaultKind.SensorDropout, 1, new FaultStart(TimeSpan.FromSeconds(300), null), EngineParameter.EGT)));
        int egt = Array.IndexOf(header, "EGT");
        int trueEgt = Array.IndexOf(header, "true_EGT");

        foreach (var r in rows.Where(r => r[2] == "1"))
        {
            double t = Number(r[1]);
            if (t < 300)
            {
                Assert.NotEqual("", r[egt]);
            }
            else if (t >= 302)
            {
                Assert.Equal("", r[egt]);
                Assert.NotEqual("", r[trueEgt]);
            }
        }
    }
}
