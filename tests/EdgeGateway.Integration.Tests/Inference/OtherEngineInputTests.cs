using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeGateway.Cli;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Models;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Inference;
using EdgeGateway.Inference.Packages;
using EdgeGateway.Landing;
using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Packaging;
using EdgeGateway.Simulator.Cli;

namespace EdgeGateway.Integration.Tests.Inference;

/// <summary>
/// Anomaly inputs named <c>P@other</c> are parameter P of the aircraft's other engine: each engine's
/// scorer gets the other engine's conditioned channel at the same grid points.
/// </summary>
public sealed class OtherEngineInputTests
{
    private static readonly string[] s_channels = ["N1", "EGT", "N1@other", "EGT@other"];
    private static readonly double[] s_means = [60, 600, 60, 600];
    private static readonly double[] s_stds = [25, 150, 25, 150];
    private const int Window = 30;

    [Fact]
    public void Replay_PackageWithOtherEngineInputs_EachEngineScoredWithTheOtherEnginesValues()
    {
        using var dir = new TempDir();
        Assert.Equal(0, SimulatorCli.Run(["flight", "--hours", "0.25", "--seed", "41", "--fault", "egt-margin-loss:2:6m", "--table", RepoPaths.A320Table, "--quiet", "--out", dir.File("f.cap")], TextWriter.Null, TextWriter.Null));
        string models = WritePackage(dir);
        var e = new StringWriter();
        Assert.True(CommandLine.Run(["replay", dir.File("f.cap"), "--table", RepoPaths.A320Table, "--models", models, "--trusted-keys", dir.File("keys"), "--summary-out", dir.File("s.json"), "--conditioned-out", dir.File("grid.csv")], TextWriter.Null, e) == 0, e.ToString());
        var summary = FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("s.json")));

        // The lab scores the exported grid with each row given the other engine's values at the same
        // time: the gateway's highest score per engine must be the lab's (same int8 file; the batch
        // slot can move the last bits). Engine 2 runs hotter (EGT margin loss), so windows fed from
        // the wrong engine score differently (measured: 297.2 against 296.1).
        WithOtherEngine(dir.File("grid.csv"), dir.File("grid-other.csv"));
        string package = Path.Combine(models, "anomaly");
        var manifest = PackageReader.ReadManifest(package);
        var source = new DataSource(dir.File("grid-other.csv"), ',', null, new Dictionary<string, string>(), "time_s", manifest.Input.Channels, null, "engine", Gaps: true);
        var ds = PackageScorer.LoadFor(manifest, source);
        var scores = PackageScorer.ScoreRows(package, manifest, ds, "int8");
        Assert.False(summary.Models!.Degraded, summary.Models.Status);
        Assert.Equal(2, summary.AnomalyScoring.Count);
        foreach (var scoring in summary.AnomalyScoring)
        {
            string engine = scoring.EnginePosition.ToString(CultureInfo.InvariantCulture);
            var lab = Enumerable.Range(0, ds.RowCount).Where(r => ds.Groups[r] == engine && !double.IsNaN(scores[r])).Select(r => scores[r]).ToList();
            Assert.True(scoring.WindowsScored > 20, $"ENG {engine}: {scoring.WindowsScored} windows");
            Assert.Equal(lab.Count, scoring.WindowsScored);
            Assert.True(Math.Abs(lab.Max() - scoring.MaxScore!.Value) <= 1e-5 * Math.Abs(lab.Max()), $"ENG {engine}: lab {lab.Max()}, gateway {scoring.MaxScore}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Analysis_OtherEngineInputWithoutTwoEngines_NotScoredAndSaysWhy(int engines)
    {
        using var dir = new TempDir();
        string models = WritePackage(dir);
        string json = File.ReadAllText(RepoPaths.A320Table).Replace("\"engineCount\": 2", $"\"engineCount\": {engines}", StringComparison.Ordinal);
        if (engines == 1)
        {
            // Engine 2's source identifiers go: a one-engine table has no position 2.
            var doc = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            foreach (var entry in doc["entries"]!.AsArray())
            {
                if (entry!["engines"] is System.Text.Json.Nodes.JsonObject map)
                {
                    foreach (var key in map.Where(kv => kv.Value!.GetValue<int>() == 2).Select(kv => kv.Key).ToList())
                    {
                        map.Remove(key);
                    }
                }
            }

            json = doc.ToJsonString();
        }

        File.WriteAllText(dir.File("table.json"), json);
        var table = LabelTableLoader.Load(dir.File("table.json"));
        Assert.Equal(engines, table.Info.EngineCount);
        using var set = ModelSet.Load(models, dir.File("keys"), new InferenceOptions());
        Assert.NotNull(set.Anomaly);

        using var analysis = new LandingAnalysis(table, new AnalysisSetup { Models = set, Options = set.Options }, LandingProcessor.DefaultConditionedPeriod);
        var start = new DateTimeOffset(2026, 3, 1, 14, 0, 0, TimeSpan.Zero);
        using var processor = new LandingProcessor(table, sink: analysis);
        var summary = analysis.Complete(processor.Complete(new FlightIdentity("D-TEST", "A340", "T1", start), default), processor.ClockFor(start));

        Assert.Contains("N1@other", analysis.AnomalyNotScored, StringComparison.Ordinal);
        Assert.Contains($"{engines} engine(s), not 2", analysis.AnomalyNotScored, StringComparison.Ordinal);
        Assert.True(summary.Models!.Degraded);
        Assert.Contains(analysis.AnomalyNotScored!, summary.Models.Status, StringComparison.Ordinal);
        Assert.Empty(summary.AnomalyScoring);
    }

    // A PCA package (the lab's exporter) on synthetic normal windows of the four inputs, signed with a test key.
    private static string WritePackage(TempDir dir)
    {
        var rng = new Random(3);
        int c = s_channels.Length;
        var windows = new float[400][];
        for (int i = 0; i < windows.Length; i++)
        {
            var w = new float[Window * c];
            double level = (rng.NextDouble() * 2) - 1;
            for (int r = 0; r < Window; r++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    w[(r * c) + ch] = (float)(level + (0.1 * ((rng.NextDouble() * 2) - 1)));
                }
            }

            windows[i] = w;
        }

        var pca = PcaDetector.Fit(windows, 0.95, 8);
        var fp32 = AnomalyExporter.Pca(pca, Window, c, quantize: false);
        var int8 = AnomalyExporter.Pca(pca, Window, c, quantize: true);
        float expected;
        using (var scorer = new OnnxScorer(fp32, "fp32"))
        {
            expected = scorer.Run(windows[5], 1)[0];
        }

        string models = dir.File("models");
        string pkg = Path.Combine(models, "anomaly");
        var manifest = new ModelManifest(
            ModelManifest.CurrentFormat,
            "anomaly-other-engine-test",
            "anomaly",
            "PCA on synthetic windows with the other engine's N1 and EGT (tests).",
            [],
            new InputSpec(s_channels, [], Window, 1, "hertz", AnomalyExporter.InputName),
            new ScalerSpec([], [], [[]], [s_means], [s_stds]),
            new OutputSpec(AnomalyExporter.OutputName, "anomaly score", "score"),
            new DecisionSpec(1e6, "fixed", new DebounceSpec(3, 4), Stride: 10),
            new TrainingSpec("0", [], windows.Length, 1, "synthetic", "test", 3, "test", [], []),
            [],
            [],
            new SelfTestVector(windows[5], [expected], 1e-4));
        PackageBuilder.Write(pkg, manifest, [("fp32", "anomaly.onnx", fp32), ("int8", "anomaly.int8.onnx", int8)]);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PackageSignature.Sign(pkg, key);
        Directory.CreateDirectory(dir.File("keys"));
        File.WriteAllText(dir.File("keys/test.pem"), key.ExportSubjectPublicKeyInfoPem());
        return models;
    }

    /// <summary>Adds <c>P@other</c> columns to the gateway's exported grid: engine 3 - e's values at the same time.</summary>
    internal static void WithOtherEngine(string gridCsv, string outCsv)
    {
        var lines = File.ReadAllLines(gridCsv);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var byKey = rows.ToDictionary(r => (r[0], r[1]));
        var sb = new StringBuilder(lines[0]);
        foreach (var p in header.Skip(2))
        {
            sb.Append(',').Append(p).Append(AnomalyScorerSuffix);
        }

        sb.Append('\n');
        foreach (var r in rows)
        {
            string other = r[1] == "1" ? "2" : "1";
            var o = byKey.GetValueOrDefault((r[0], other));
            sb.Append(string.Join(',', r));
            for (int i = 2; i < header.Length; i++)
            {
                sb.Append(',').Append(o?[i] ?? string.Empty);
            }

            sb.Append('\n');
        }

        File.WriteAllText(outCsv, sb.ToString());
    }

    private const string AnomalyScorerSuffix = EdgeGateway.Inference.Scoring.AnomalyScorer.OtherEngineSuffix;
}
