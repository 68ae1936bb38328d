using EdgeGateway.Cli;
using EdgeGateway.Core.Models;
using EdgeGateway.Core.Summaries;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Packaging;
using EdgeGateway.Simulator.Cli;
using EdgeGateway.Simulator.Flights;

namespace EdgeGateway.Integration.Tests.Inference;

public sealed class LabAgreementTests
{
    [Theory]
    [InlineData("bearing-wear:2:10m", 31, false)]
    [InlineData("oil-leak:1:8m", 32, true)]
    [InlineData("sensor-noise-burst:2:15m", 33, false)]
    [InlineData("egt-margin-loss:1:12m", 34, true)]
    public void Replay_FaultyFlight_RaisesTheEpisodesTheLabScores(string fault, int seed, bool byComparison)
    {
        using var dir = new TempDir();
        var (summary, labels, package, manifest, ds) = ReplayAndLoadGrid(dir, "0.6", seed, fault);

        var (lab, box) = Raises(summary, labels, package, manifest, ds);
        Assert.NotEmpty(box);
        Assert.Equal(lab, box);

        // Each episode's raising window scored on the engine alone: the lab's evaluation and the box's
        // raisedAloneScore (which decides whether the alert names the other engine) agree.
        var scores = PackageScorer.ScoreRows(package, manifest, ds, "int8");
        var episodes = ModelLab.Anomaly.AnomalyEvaluation.Episodes(ds, scores, manifest.Decision!, manifest.Input.WindowLength);
        var labAlone = PackageScorer.ScoreAlone(package, manifest, ds, [.. episodes.Select(x => x.PeakRow)], "int8")!;
        var boxAlone = summary.AnomalyEpisodes.OrderBy(x => x.EnginePosition).ThenBy(x => x.RaisedUtc).ToList();
        Assert.Equal(episodes.Select(x => x.Group), boxAlone.Select(x => x.EnginePosition.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (int i = 0; i < episodes.Count; i++)
        {
            Assert.Equal(labAlone[i], boxAlone[i].RaisedAloneScore!.Value, 4);
            Assert.Equal(byComparison, labAlone[i] <= manifest.Decision!.Threshold);
            Assert.Equal(byComparison, boxAlone[i].RaisedAloneScore <= manifest.Decision.Threshold);
        }
    }

    [Fact]
    public void Replay_BearingWearAfterThePartnersSensorDied_RaisedWhereTheLabRaisesIt()
    {
        // Engine 1's EGT sensor dies at 5 min; engine 2's bearing wears from 12 min. Engine 2's
        // windows after the dropout hold a gap in EGT@other and are scored on engine 2 alone.
        using var dir = new TempDir();
        var (summary, labels, package, manifest, ds) = ReplayAndLoadGrid(dir, "0.6", 38, "sensor-dropout:1:5m:EGT", "bearing-wear:2:12m");

        var (lab, box) = Raises(summary, labels, package, manifest, ds);
        Assert.Contains(box, r => r.Engine == "2");
        Assert.Equal(lab, box);
        Assert.True(summary.AnomalyScoring.Single(a => a.EnginePosition == 2).WindowsWithStandIn > 0);
    }

    // The episodes' raise points, per engine: the lab's scoring of the conditioned grid the gateway
    // exported (what the model lab trains on), with the model file the gateway runs (int8), per
    // engine the package's window schedule and debounce; and the gateway's, the last grid point of
    // the raising window on the adapter clock.
    private static (List<(string Engine, double GridSeconds)> Lab, List<(string Engine, double GridSeconds)> Box) Raises(FlightSummary summary, FlightLabels labels, string package, ModelManifest manifest, ModelLab.Data.Dataset ds)
    {
        var scores = PackageScorer.ScoreRows(package, manifest, ds, "int8");
        var flags = ModelLab.Anomaly.AnomalyEvaluation.Flags(ds, scores, manifest.Decision!, manifest.Input.WindowLength);
        var labRaises = new List<(string Engine, double GridSeconds)>();
        for (int r = 0; r < ds.RowCount; r++)
        {
            if (flags[r] && (r == 0 || !flags[r - 1] || ds.Groups[r] != ds.Groups[r - 1]))
            {
                labRaises.Add((ds.Groups[r], ds.Time[r]));
            }
        }

        double offset = labels.TimestampOffsetMicros / 1e6;
        var boxRaises = summary.AnomalyEpisodes
            .Select(x => (Engine: x.EnginePosition.ToString(System.Globalization.CultureInfo.InvariantCulture), GridSeconds: Math.Round((x.RaisedUtc - labels.StartUtc).TotalSeconds + offset)))
            .OrderBy(x => x.Engine, StringComparer.Ordinal).ThenBy(x => x.GridSeconds).ToList();
        return ([.. labRaises.OrderBy(x => x.Engine, StringComparer.Ordinal).ThenBy(x => x.GridSeconds)], boxRaises);
    }

    [Fact]
    public void Replay_SensorDropout_DeadSensorAlertWhereTheLabsEvaluationFindsIt()
    {
        using var dir = new TempDir();
        var (summary, labels, _, _, ds) = ReplayAndLoadGrid(dir, "0.4", 36, "sensor-dropout:2:10m:EGT");

        // The lab's evaluation counts a dropout with the gateway's dead-sensor rule on the exported
        // grid: the same channel, engine and grid second as the box's data-quality alert.
        var lab = ds.GroupRuns()
            .SelectMany(g => ModelLab.Anomaly.AnomalyEvaluation.DeadChannels(ds, [.. Enumerable.Range(g.Start, g.Length)])
                .Select(d => (Engine: int.Parse(g.Group, System.Globalization.CultureInfo.InvariantCulture), Parameter: d.Channel!, GridSeconds: d.Since + Core.Models.DeadChannelRule.DeadAfter.TotalSeconds)))
            .ToList();
        double offset = labels.TimestampOffsetMicros / 1e6;
        var box = summary.Alerts.Where(a => a.Source == "DataQuality" && a.Text.Contains("dead", StringComparison.Ordinal))
            .Select(a => (Engine: a.EnginePosition, a.Parameter, GridSeconds: Math.Round((a.AtUtc - labels.StartUtc).TotalSeconds + offset)))
            .ToList();

        Assert.Equal([(2, "EGT")], box.Select(b => (b.Engine, b.Parameter)));
        Assert.Equal(box, lab);
        Assert.DoesNotContain(summary.Alerts, a => a.Source == "AnomalyEpisode");
    }

    [Fact]
    public void Replay_PartnersSensorDropout_HealthyEngineScoredWithStandInsAsInTheLab()
    {
        using var dir = new TempDir();
        var (summary, _, package, manifest, ds) = ReplayAndLoadGrid(dir, "0.4", 37, "sensor-dropout:2:8m:EGT");

        // Engine 1's EGT@other is silent from the dropout on. The lab scores engine 1's windows with
        // its own EGT standing in (int8, the file the gateway runs); the gateway must score the same
        // windows and reach the same highest score.
        var scores = PackageScorer.ScoreRows(package, manifest, ds, "int8");
        var w = manifest.Input.WindowLength;
        var rows = Enumerable.Range(0, ds.RowCount).Where(r => ds.Groups[r] == "1").ToArray();
        var labScored = rows.Where(r => !double.IsNaN(scores[r])).ToArray();
        int companionGaps = labScored.Count(r => Enumerable.Range(r - w + 1, w).Any(i => ds.Gap[i]));
        var box = summary.AnomalyScoring.Single(a => a.EnginePosition == 1);

        Assert.True(companionGaps > 30, $"{companionGaps} of engine 1's scored windows hold the partner's gap");
        Assert.Equal(labScored.Length, box.WindowsScored);
        Assert.Equal(companionGaps, box.WindowsWithStandIn);
        Assert.Equal(labScored.Max(r => scores[r]), box.MaxScore!.Value, 4);
        Assert.DoesNotContain(summary.Alerts, a => a.Source == "AnomalyEpisode" && a.EnginePosition == 1);
    }

    // Simulates a flight with one fault, replays it through the gateway with the shipped anomaly
    // package (signed with a test key) and loads the conditioned grid it exported as the lab
    // scores it: inputs named P@other are the other engine's P at the same grid second (the
    // gateway routes them).
    private static (FlightSummary Summary, FlightLabels Labels, string Package, ModelManifest Manifest, ModelLab.Data.Dataset Grid) ReplayAndLoadGrid(TempDir dir, string hours, int seed, params string[] faults)
    {
        Assert.Equal(0, SimulatorCli.Run(["flight", "--hours", hours, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), .. faults.SelectMany(f => new[] { "--fault", f }), "--table", RepoPaths.A320Table, "--quiet", "--out", dir.File("f.cap")], TextWriter.Null, TextWriter.Null));
        string models = ReplayAnalysisTests.SignedAnomaly(dir);
        var e = new StringWriter();
        Assert.True(CommandLine.Run(["replay", dir.File("f.cap"), "--table", RepoPaths.A320Table, "--models", models, "--trusted-keys", dir.File("keys"), "--summary-out", dir.File("s.json"), "--conditioned-out", dir.File("grid.csv")], TextWriter.Null, e) == 0, e.ToString());
        string package = Path.Combine(models, "anomaly");
        var manifest = PackageReader.ReadManifest(package);
        OtherEngineInputTests.WithOtherEngine(dir.File("grid.csv"), dir.File("grid-other.csv"));
        var source = new DataSource(dir.File("grid-other.csv"), ',', null, new Dictionary<string, string>(), "time_s", manifest.Input.Channels, null, "engine", Gaps: true);
        return (FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("s.json"))), FlightLabels.Load(dir.File("f.cap.labels.json")), package, manifest, PackageScorer.LoadFor(manifest, source));
    }
}
