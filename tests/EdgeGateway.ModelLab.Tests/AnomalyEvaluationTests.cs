using System.Globalization;
using System.Text;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Tests;

public class AnomalyEvaluationTests
{
    private static readonly DecisionSpec s_decision = new(1.0, "test", new DebounceSpec(3, 2));

    // WriteEvaluation reads the name, the decision and the metrics only.
    private static readonly ModelManifest s_reportManifest = new(ModelManifest.CurrentFormat, "t", "anomaly", "", [], null!, null!, null!, s_decision, null!, [], [], null!);

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
        Assert.Equal([("C", 1, 0)], eval.FalseAlerts);
    }

    [Fact]
    public void WriteEvaluation_Events_CsvAndTableByKind()
    {
        using var dir = new TempDir();
        var (ds, scores) = Flights(dir);
        var eval = Evaluate(ds, scores);
        var outDir = dir.Combine("report");

        AnomalyReport.WriteEvaluation(outDir, s_reportManifest, ds, scores, eval, _ => true, "test");

        var lines = File.ReadAllLines(Path.Combine(outDir, "events.csv"));
        Assert.Equal(["group,kind,start,length,group_length,detected,latency,dead_channel,dead_alert_latency", "A,leak,20,19,39,1,2,,", "B,leak,20,19,39,0,,,"], lines);
        Assert.Contains("Normal groups with a false alert (episodes): C (1).", File.ReadAllText(Path.Combine(outDir, "evaluation.md")), StringComparison.Ordinal);
        Assert.Contains("| leak | 2 | 1 | 19 | 19 | 19 | 19 | 0 |", File.ReadAllText(Path.Combine(outDir, "evaluation.md")), StringComparison.Ordinal);
    }

    // Engines as groups, two per flight, 40 rows each, a leak from row 20 (row 30 in F5) on E1 of
    // F1, F2 and F5. Scores high (flagged after the debounce's 3 windows): F1-E2 rows 25-29 (inside
    // F1-E1's leak: the other engine), F2-E1 from row 20 (found on its own engine), F3-E2 rows 10-14
    // (a normal flight's false alert), F5-E2 rows 5-9 (before F5-E1's leak: not this event's).
    private static (Dataset Ds, double[] Scores) EngineFlights(TempDir dir)
    {
        var csv = new StringBuilder("t,x,y,label,fault,engine_key,flight,engine,phase\n");
        var scores = new List<double>();
        foreach (var flight in new[] { "F1", "F2", "F3", "F4", "F5" })
        {
            foreach (var engine in new[] { "E1", "E2" })
            {
                for (int t = 0; t < 40; t++)
                {
                    int onset = flight == "F5" ? 30 : 20;
                    int label = engine == "E1" && flight is "F1" or "F2" or "F5" && t >= onset ? 1 : 0;
                    bool high = (flight, engine) switch
                    {
                        ("F1", "E2") => t is >= 25 and < 30,
                        ("F2", "E1") => t >= 20,
                        ("F3", "E2") => t is >= 10 and < 15,
                        ("F5", "E2") => t is >= 5 and < 10,
                        _ => false,
                    };
                    csv.Append(CultureInfo.InvariantCulture, $"{t},{t % 7},{(t * 3) % 5},{label},{(label == 1 ? "leak" : "none")},{flight}-{engine},{flight},{engine},{(t < 25 ? "climb" : "cruise")}\n");
                    scores.Add(high ? 5.0 : 0.5);
                }
            }
        }

        var ds = Dataset.Create(CsvTableReader.Read(dir.File("f.csv", csv.ToString())), new ColumnRoles(["x", "y"], "t", "label", "engine_key"), 2);
        return (ds, [.. scores]);
    }

    [Fact]
    public void Evaluate_FlightColumn_CountsAnEpisodeOnTheOtherEngineDuringTheEventPerFlightOnly()
    {
        using var dir = new TempDir();
        var (ds, scores) = EngineFlights(dir);

        var eval = AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", "flight");

        Assert.Equal([("F1-E1", false, true), ("F2-E1", true, true), ("F5-E1", false, false)], eval.Events.Select(e => (e.Group, e.Detected, e.FlightDetected == true)));
        Assert.Equal(1.0 / 3, eval.Metric("event.kind.leak.detection_rate"), 9);
        Assert.Equal(2.0 / 3, eval.Metric("flight.event.kind.leak.detection_rate"), 9);
        Assert.Equal(1, eval.Metric("flight.event.kind.leak.other_group_only"));

        // Normal flights: F3 (false alert on E2) and F4; F1's and F5's healthy engines stay per-group false alerts.
        Assert.Equal(2, eval.Metric("flight.normal_flights"));
        Assert.Equal(0.5, eval.Metric("flight.normal_flights_with_false_alert"));
        Assert.Equal([("F1-E2", 1, 0), ("F3-E2", 1, 0), ("F5-E2", 1, 0)], eval.FalseAlerts);

        // Without the flight column: no flight figures.
        var plain = AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault");
        Assert.DoesNotContain(plain.Metrics, m => m.Name.StartsWith("flight.", StringComparison.Ordinal));
        Assert.All(plain.Events, e => Assert.Null(e.FlightDetected));

        AnomalyReport.WriteEvaluation(dir.Combine("report"), s_reportManifest, ds, scores, eval, _ => true, "test");
        Assert.Equal("F1-E1,leak,20,19,39,0,,,,1", File.ReadAllLines(Path.Combine(dir.Combine("report"), "events.csv"))[1]);
        Assert.Contains("| leak | 3 | 1 | 19 | 14 | 19 | 19 | 0 | 2 | 1 |", File.ReadAllText(Path.Combine(dir.Combine("report"), "evaluation.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FlightColumnMissingOrNotConstantWithinAGroup_StopsNamingIt()
    {
        using var dir = new TempDir();
        var (ds, scores) = EngineFlights(dir);
        var missing = Assert.Throws<LabException>(() => AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", "tail"));
        Assert.Contains("flight column 'tail' not found", missing.Message, StringComparison.Ordinal);

        // The fault column changes within F1-E1: as a flight column it spans two values.
        var spans = Assert.Throws<LabException>(() => AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", "fault"));
        Assert.Contains("group 'F1-E1' spans flights 'none' and 'leak' (row 21)", spans.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ChannelSilentToTheEnd_ReportedByTheGatewaysDeadSensorRule()
    {
        // Flights of 100 rows at 1 s, a dropout from row 20 in each, no model alert anywhere. B: y
        // silent from row 30 (70 s to the end: dead). D: y silent for the last 59 s (not yet dead).
        // F: exactly 60 s (dead). E: the other engine's x (x@other) silent: not this engine's sensor.
        using var dir = new TempDir();
        // G: y silent from row 19, one row before the first faulty row (a sensor that stopped
        // between grid points): inside the event. H: from row 18: before it, not this event's.
        var silentFrom = new Dictionary<string, (string Column, int Row)> { ["B"] = ("y", 30), ["D"] = ("y", 41), ["F"] = ("y", 40), ["E"] = ("x@other", 30), ["G"] = ("y", 19), ["H"] = ("y", 18) };
        var csv = new StringBuilder("t,x,y,x@other,label,fault,flight\n");
        foreach (var (flight, (column, row)) in silentFrom)
        {
            for (int t = 0; t < 100; t++)
            {
                string Cell(string name, double v) => name == column && t >= row ? string.Empty : v.ToString(CultureInfo.InvariantCulture);
                csv.Append(CultureInfo.InvariantCulture, $"{t},{Cell("x", t % 7)},{Cell("y", (t * 3) % 5)},{Cell("x@other", t % 3)},{(t >= 20 ? 1 : 0)},{(t >= 20 ? "dropout" : "none")},{flight}\n");
            }
        }

        var ds = Dataset.Create(CsvTableReader.Read(dir.File("f.csv", csv.ToString())), new ColumnRoles(["x", "y", "x@other"], "t", "label", "flight", Gaps: true), 2);
        var scores = Enumerable.Repeat(0.5, ds.RowCount).ToArray();

        var eval = Evaluate(ds, scores);

        var byGroup = eval.Events.ToDictionary(e => e.Group);
        Assert.All(eval.Events, e => Assert.False(e.Detected));
        Assert.Equal(("y", 70.0), (byGroup["B"].DeadChannel, byGroup["B"].DeadLatency));
        Assert.Null(byGroup["D"].DeadChannel);
        Assert.Equal(("y", 80.0), (byGroup["F"].DeadChannel, byGroup["F"].DeadLatency));
        Assert.Null(byGroup["E"].DeadChannel);
        Assert.Equal(("y", 59.0), (byGroup["G"].DeadChannel, byGroup["G"].DeadLatency));
        Assert.Null(byGroup["H"].DeadChannel);
        Assert.Equal(0, eval.Metric("event.kind.dropout.detection_rate"));
        Assert.Equal(0.5, eval.Metric("event.kind.dropout.detection_rate_with_data_quality"));
        Assert.Equal(0.5, eval.Metric("event.detection_rate_with_data_quality"));
    }

    [Fact]
    public void Episodes_RaisingRunPeak_HighestWindowOfTheRunBeforeTheRaiseAsTheGatewayPicksIt()
    {
        using var dir = new TempDir();
        var (ds, _) = Flights(dir);
        var scores = Enumerable.Repeat(0.5, ds.RowCount).ToArray();
        // Flight A: row 10 abnormal, then a window skipped for a gap (normal: the run ends); rows
        // 12-14 raise (peak 13); row 16's 9.0 comes after the raise. Rows 25-27 raise again, two
        // equal highest windows (the first is the peak).
        scores[10] = 3.0;
        scores[11] = double.NaN;
        (scores[12], scores[13], scores[14], scores[15], scores[16]) = (2.0, 4.0, 3.0, 2.0, 9.0);
        (scores[25], scores[26], scores[27]) = (6.0, 6.0, 2.0);

        var episodes = AnomalyEvaluation.Episodes(ds, scores, s_decision, 2);

        Assert.Equal([new("A", 12, 14, 13), new AnomalyEvaluation.Episode("A", 25, 27, 25)], episodes);
    }

    [Fact]
    public void Evaluate_ScoreAlone_CountsEpisodesRaisedByTheComparisonWithTheOtherEngine()
    {
        using var dir = new TempDir();
        var (ds, scores) = EngineFlights(dir);
        // On the engine alone: the E2 episodes (false alerts) are normal, F2-E1's leak just below
        // the threshold (the comparison raised it too), nothing else.
        var asked = new List<int>();
        double[] Alone(IReadOnlyList<int> peaks)
        {
            asked.AddRange(peaks);
            return [.. peaks.Select(r => ds.Groups[r] == "F2-E1" ? 1.0 : 0.5)];
        }

        var eval = AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", "flight", Alone);

        // Each episode's first abnormal window is the raising run's peak (all high scores are 5.0).
        Assert.Equal([40 + 25, 80 + 20, 200 + 10, 360 + 5], asked);
        Assert.Equal(asked, eval.Episodes.Select(e => e.PeakRow));
        Assert.Equal([("F1-E2", 1, 1), ("F3-E2", 1, 1), ("F5-E2", 1, 1)], eval.FalseAlerts);
        Assert.Equal(4, eval.Metric("episode.count"));
        Assert.Equal(4, eval.Metric("episode.raised_by_comparison"));
        Assert.Equal(3, eval.Metric("group.false_alert_episodes_by_comparison"));
        Assert.Equal(1, eval.Metric("event.kind.leak.detected_by_comparison"));
        // F1-E1's leak is found on F1-E2 only, by an episode the comparison raised (its alert names engine E1).
        Assert.Equal(1, eval.Metric("flight.event.kind.leak.other_group_only_by_comparison"));
        Assert.Equal([double.NaN, 1.0, double.NaN], eval.Events.Select(e => e.RaisedAloneScore));

        // Abnormal alone: not by comparison.
        var alone = AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", "flight", peaks => [.. peaks.Select(_ => 1.01)]);
        Assert.Equal(0, alone.Metric("episode.raised_by_comparison"));
        Assert.Equal(0, alone.Metric("event.kind.leak.detected_by_comparison"));
        Assert.Equal(0, alone.Metric("flight.event.kind.leak.other_group_only_by_comparison"));

        // A model without the other engine's inputs: nothing scored alone, no such figures.
        var none = AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", "flight", _ => null);
        Assert.DoesNotContain(none.Metrics, m => m.Name.Contains("comparison", StringComparison.Ordinal));
        Assert.All(none.Episodes, e => Assert.True(double.IsNaN(e.RaisedAloneScore)));

        var report = dir.Combine("report");
        AnomalyReport.WriteEvaluation(report, s_reportManifest, ds, scores, eval, _ => true, "test");
        var events = File.ReadAllLines(Path.Combine(report, "events.csv"));
        Assert.EndsWith(",flight_detected,raised_alone_score,by_comparison", events[0], StringComparison.Ordinal);
        Assert.Equal(["F1-E1,leak,20,19,39,0,,,,1,,", "F2-E1,leak,20,19,39,1,2,,,1,1,1"], events[1..3]);
        Assert.Equal(["group,first_abnormal,raised,peak_window_end,raised_alone_score,by_comparison", "F1-E2,25,27,25,0.5,1"], File.ReadAllLines(Path.Combine(report, "episodes.csv"))[..2]);
        var md = File.ReadAllText(Path.Combine(report, "evaluation.md"));
        Assert.Contains("F1-E2 (1; 1), F3-E2 (1; 1), F5-E2 (1; 1).", md, StringComparison.Ordinal);
        Assert.Contains("| leak | 3 | 1 | 19 | 14 | 19 | 19 | 0 | 2 | 1 | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("Episodes: 4, of them 4 raised by the comparison", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SliceColumns_FiguresPerEnginePositionAndPerPhaseAtTheOnset()
    {
        using var dir = new TempDir();
        var (ds, scores) = EngineFlights(dir);

        var eval = AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", sliceColumns: ["engine", "phase"]);

        // Leaks on E1 of F1 (missed), F2 (found) from row 20, in the climb; F5's (missed) from row 30, in the cruise.
        Assert.Equal(3, eval.Metric("event.engine.E1.count"));
        Assert.Equal(1.0 / 3, eval.Metric("event.engine.E1.detection_rate"), 9);
        Assert.DoesNotContain(eval.Metrics, m => m.Name.StartsWith("event.engine.E2.", StringComparison.Ordinal));
        Assert.Equal((2, 0.5), (eval.Metric("event.phase.climb.count"), eval.Metric("event.phase.climb.detection_rate")));
        Assert.Equal((1, 0.0), (eval.Metric("event.phase.cruise.count"), eval.Metric("event.phase.cruise.detection_rate")));

        // The engine is constant within each group: normal groups per engine (E2 of every flight, E1 of
        // F3 and F4), false alerts on F1-E2, F3-E2 and F5-E2. The phase changes within groups: none.
        Assert.Equal((2, 0.0), (eval.Metric("group.engine.E1.normal_groups"), eval.Metric("group.engine.E1.normal_groups_with_false_alert")));
        Assert.Equal((5, 0.6), (eval.Metric("group.engine.E2.normal_groups"), eval.Metric("group.engine.E2.normal_groups_with_false_alert")));
        Assert.DoesNotContain(eval.Metrics, m => m.Name.StartsWith("group.phase.", StringComparison.Ordinal));

        Assert.Equal(1.0 / 3, eval.Metric("event.engine.E1.detection_rate_with_data_quality"), 9);
        Assert.Equal([("engine", "E1"), ("phase", "cruise")], eval.Events[2].Slices!);

        // events.csv carries each event's values.
        AnomalyReport.WriteEvaluation(dir.Combine("report"), s_reportManifest, ds, scores, eval, _ => true, "test");
        var events = File.ReadAllLines(Path.Combine(dir.Combine("report"), "events.csv"));
        Assert.Equal("group,kind,start,length,group_length,detected,latency,dead_channel,dead_alert_latency,engine,phase", events[0]);
        Assert.Equal("F5-E1,leak,30,9,39,0,,,,E1,cruise", events[3]);

        var missing = Assert.Throws<LabException>(() => AnomalyEvaluation.Evaluate(ds, scores, s_decision, 2, _ => true, "fault", sliceColumns: ["position"]));
        Assert.Contains("slice column 'position' not found", missing.Message, StringComparison.Ordinal);
    }
}
