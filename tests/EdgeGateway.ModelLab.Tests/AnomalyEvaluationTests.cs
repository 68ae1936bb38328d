using System.Globalization;
using System.Text;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Tests;

public class AnomalyEvaluationTests
{
    private static readonly DecisionSpec s_decision = new(1.0, "test", new DebounceSpec(3, 2));

    // Three flights of 40 rows, a fault from row 20 in A and B, C normal; a window of 2 rows scored every row.
    // Flight A's scores rise with the fault (detected 3 rows late: the debounce raises after 3);
    // flight B's stay low (missed); flight C's rise for 5 rows (a false alert).
    private static (Dataset Ds, double[] Scores) Flights(TempDir dir)
    {
        var csv = new StringBuilder("t,x,y,label,fault,flight\n");
        var scores = new List<double>();
        foreach (var flight in new[] { "A", "B", "C" })
        {
            for (int t = 0; t < 40; t++)
            {
                // Flight C is normal throughout; its scores rise for 5 rows (a false alert).
                int label = t >= 20 && flight != "C" ? 1 : 0;
                csv.Append(CultureInfo.InvariantCulture, $"{t},{t % 7},{(t * 3) % 5},{label},{(label == 1 ? "leak" : "none")},{flight}\n");
                scores.Add((flight == "A" && t >= 20) || (flight == "C" && t is >= 10 and < 15) ? 5.0 : 0.5);
            }
        }

        var ds = Dataset.Create(CsvTableReader.Read(dir.File("f.csv", csv.ToString())), new ColumnRoles(["x", "y"], "t", "label", "flight"), 2);
        return (ds, [.. scores]);
    }

    private static AnomalyEvaluation.Result Evaluate(Dataset ds, double[] scores) =>
        AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault");

    [Fact]
    public void Evaluate_OneDetectedOneMissed_EventsCarryLengthAndLatency()
    {
        using var dir = new TempDir();
        var (ds, scores) = Flights(dir);

        var eval = Evaluate(ds, scores);

        Assert.Equal(2, eval.Events.Count);
        var a = eval.Events[0];
        var b = eval.Events[1];
        Assert.Equal(("A", "leak", 20.0, 19.0, 39.0, true, 2.0), (a.Group, a.Kind, a.Start, a.Length, a.GroupLength, a.Detected, a.Latency));
        Assert.Equal(("B", false), (b.Group, b.Detected));
        Assert.True(double.IsNaN(b.Latency));
        Assert.Equal(0.5, eval.Metric("event.kind.leak.detection_rate"));
        Assert.Equal([("C", 1)], eval.FalseAlerts);
    }

    [Fact]
    public void WriteEvaluation_Events_CsvAndTableByKind()
    {
        using var dir = new TempDir();
        var (ds, scores) = Flights(dir);
        var eval = Evaluate(ds, scores);
        // WriteEvaluation reads the name, the decision and the metrics only.
        var manifest = new ModelManifest(ModelManifest.CurrentFormat, "t", "anomaly", "", [], null!, null!, null!, s_decision, null!, [], [], null!);
        var outDir = dir.Combine("report");

        AnomalyReport.WriteEvaluation(outDir, manifest, ds, scores, eval, _ => true, "test");

        var lines = File.ReadAllLines(Path.Combine(outDir, "events.csv"));
        Assert.Equal(["group,kind,start,length,group_length,detected,latency", "A,leak,20,19,39,1,2", "B,leak,20,19,39,0,"], lines);
        Assert.Contains("Normal groups with a false alert (episodes): C (1).", File.ReadAllText(Path.Combine(outDir, "evaluation.md")), StringComparison.Ordinal);
        Assert.Contains("| leak | 2 | 1 | 19 | 19 | 19 | 19 |", File.ReadAllText(Path.Combine(outDir, "evaluation.md")), StringComparison.Ordinal);
    }
}
