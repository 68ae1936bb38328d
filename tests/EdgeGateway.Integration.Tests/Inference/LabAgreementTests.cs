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
    [InlineData("bearing-wear:2:10m", 31)]
    [InlineData("egt-margin-loss:1:8m", 32)]
    public void Replay_FaultyFlight_RaisesTheEpisodesTheLabScores(string fault, int seed)
    {
        using var dir = new TempDir();
        Assert.Equal(0, SimulatorCli.Run(["flight", "--hours", "0.6", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fault", fault, "--table", RepoPaths.A320Table, "--quiet", "--out", dir.File("f.cap"), "--samples-out", dir.File("f.csv")], TextWriter.Null, TextWriter.Null));
        string models = ReplayAnalysisTests.SignedAnomaly(dir);
        var e = new StringWriter();
        Assert.True(CommandLine.Run(["replay", dir.File("f.cap"), "--table", RepoPaths.A320Table, "--models", models, "--trusted-keys", dir.File("keys"), "--summary-out", dir.File("s.json")], TextWriter.Null, e) == 0, e.ToString());
        var summary = FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("s.json")));
        var labels = FlightLabels.Load(dir.File("f.cap.labels.json"));

        // The lab's score command on the flight's samples: per engine, flags of the package's debounce.
        string package = Path.Combine(models, "anomaly");
        var manifest = PackageReader.ReadManifest(package);
        // One engine's rows together, as the lab's queries deliver them (the CSV interleaves engines per second).
        var lines = File.ReadAllLines(dir.File("f.csv"));
        File.WriteAllLines(dir.File("by-engine.csv"), [lines[0], .. lines.Skip(1).Select((l, i) => (l, i)).OrderBy(x => x.l.Split(',')[2], StringComparer.Ordinal).ThenBy(x => x.i).Select(x => x.l)]);
        var source = new DataSource(dir.File("by-engine.csv"), ',', null, new Dictionary<string, string>(), "time_s", manifest.Input.Channels, null, "engine");
        var ds = PackageScorer.LoadFor(manifest, source);
        var scores = PackageScorer.ScoreRows(package, manifest, ds, "fp32");
        var flags = ModelLab.Anomaly.AnomalyEvaluation.Flags(ds, scores, manifest.Decision!);
        var labRaises = new List<(string Engine, double Time)>();
        for (int r = 0; r < ds.RowCount; r++)
        {
            if (flags[r] && (r == 0 || !flags[r - 1] || ds.Groups[r] != ds.Groups[r - 1]))
            {
                labRaises.Add((ds.Groups[r], ds.Time[r]));
            }
        }

        var boxRaises = summary.AnomalyEpisodes
            .Select(x => (Engine: x.EnginePosition.ToString(System.Globalization.CultureInfo.InvariantCulture), Time: (x.RaisedUtc - labels.StartUtc).TotalSeconds))
            .OrderBy(x => x.Engine, StringComparer.Ordinal).ThenBy(x => x.Time).ToList();
        labRaises = [.. labRaises.OrderBy(x => x.Engine, StringComparer.Ordinal).ThenBy(x => x.Time)];

        // The lab scores the simulator's unquantised per-second samples; the box scores decoded,
        // spike-filtered, resampled words. Windows near the threshold can fall either side, so the
        // check is that most episodes are the same (same engine, raised within 10 s), both ways.
        static int Matched(List<(string Engine, double Time)> a, List<(string Engine, double Time)> b) =>
            a.Count(x => b.Any(y => y.Engine == x.Engine && Math.Abs(y.Time - x.Time) <= 10));
        string message = $"lab episodes [{string.Join(", ", labRaises)}] vs gateway [{string.Join(", ", boxRaises)}]";
        Assert.True(Matched(labRaises, boxRaises) * 5 >= labRaises.Count * 3, message);
        Assert.True(Matched(boxRaises, labRaises) * 5 >= boxRaises.Count * 3, message);
        Assert.Equal(labRaises.Count == 0, boxRaises.Count == 0);
    }
}
