using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Cli;
using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Packaging;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Tests;

public class WindowFeaturesTests
{
    private const int Window = 60;
    private const int Channels = 4;

    // Channels: N1, N2 (follows N1), EGT (cubic in N1 plus noise), vibration (noise).
    private static float[] Rows(int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var rows = new float[n * Channels];
        for (var r = 0; r < n; r++)
        {
            var a = (float)Math.Sin(r / 40.0);
            rows[(r * Channels) + 0] = a;
            rows[(r * Channels) + 1] = (0.8f * a) + (0.1f * a * a);
            rows[(r * Channels) + 2] = (0.5f * a * a * a) - (0.3f * a) + (0.02f * (float)(rng.NextDouble() - 0.5));
            rows[(r * Channels) + 3] = 0.1f * (float)(rng.NextDouble() - 0.5);
        }

        return rows;
    }

    private static List<float[]> Windows(float[] rows, int stride)
    {
        var list = new List<float[]>();
        for (var end = Window - 1; end < rows.Length / Channels; end += stride)
        {
            list.Add(rows.AsSpan((end - Window + 1) * Channels, Window * Channels).ToArray());
        }

        return list;
    }

    private static WindowFeatures Fit(float[] rows) => WindowFeatures.Fit(rows, Windows(rows, 5), Window, Channels, 0, 1, [(3, 2)]);

    [Fact]
    public void Append_OnnxGraph_MatchesCSharpFeatures()
    {
        var rows = Rows(2000, 3);
        var f = Fit(rows);
        var b = new OnnxGraphBuilder("features");
        b.AddInput("window", null, Window, Channels);
        var output = f.Append(b, "window");
        b.AddOutput(output, null, f.Dimension);
        using var scorer = new OnnxScorer(OnnxGraphBuilder.Serialize(b.Build("features")), "features");
        var windows = Windows(Rows(600, 4), 37);
        var got = scorer.Run(windows.SelectMany(w => w).ToArray(), windows.Count);
        for (var i = 0; i < windows.Count; i++)
        {
            var want = f.Compute(windows[i]);
            for (var j = 0; j < f.Dimension; j++)
            {
                Assert.True(Math.Abs(want[j] - got[(i * f.Dimension) + j]) <= 1e-2 + (1e-3 * Math.Abs(want[j])), $"window {i} feature {j}: C# {want[j]} ONNX {got[(i * f.Dimension) + j]}");
            }
        }
    }

    [Fact]
    public void Compute_StuckChannel_RangeFeatureFarBelowNormal()
    {
        var rows = Rows(2000, 5);
        var f = Fit(rows);
        var window = Windows(Rows(600, 6), 50)[3];
        var normal = f.Compute(window)[(3 * Channels) + 2];
        for (var t = 1; t < Window; t++)
        {
            window[(t * Channels) + 2] = window[2];
        }

        var stuck = f.Compute(window)[(3 * Channels) + 2];
        Assert.True(stuck < normal - 5, $"range feature of a stuck EGT {stuck}, normal {normal}");
    }

    [Fact]
    public void Compute_StepInTheWindow_ChangeFeatureRisesOnThatChannelOnly()
    {
        var rows = Rows(2000, 11);
        var f = Fit(rows);
        var window = Windows(Rows(600, 12), 50)[4];
        var before = f.Compute(window);
        for (var t = Window / 2; t < Window; t++)
        {
            window[(t * Channels) + 2] += 0.5f;
        }

        var after = f.Compute(window);
        var egt = (4 * Channels) + 2;
        Assert.True(after[egt] - before[egt] > 5, $"change feature of EGT {before[egt]} -> {after[egt]}");
        Assert.True(Math.Abs(after[(4 * Channels) + 3] - before[(4 * Channels) + 3]) < 0.5, "vibration's change feature moved");
        Assert.True(Math.Abs(after[(4 * Channels) + 0] - before[(4 * Channels) + 0]) < 1e-3, "N1's change feature moved");
    }

    [Fact]
    public void Compute_NoiseOnOneChannel_RoughnessRisesOnThatChannelOnly()
    {
        var rows = Rows(2000, 7);
        var f = Fit(rows);
        var window = Windows(Rows(600, 8), 50)[2];
        var before = f.Compute(window);
        var rng = new SplitMix64(9);
        for (var t = 0; t < Window; t++)
        {
            window[(t * Channels) + 3] += (float)(rng.NextDouble() - 0.5);
        }

        var after = f.Compute(window);
        Assert.True(after[(2 * Channels) + 3] > before[(2 * Channels) + 3] + 5, $"roughness {before[(2 * Channels) + 3]} -> {after[(2 * Channels) + 3]}");
        Assert.Equal(before[(2 * Channels) + 0], after[(2 * Channels) + 0], 3);
    }

    [Fact]
    public void TrainAnomaly_ResidualFeatures_PackageScoresMatchAndDetects()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", SyntheticFlights.Csv(20, 8, 200, 1));
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();
        string[] args =
        [
            "train", "anomaly", "--csv", csv, "--time", "t", "--group", "flight", "--label", "label",
            "--channels", "n1,n2,egt,ff,oilp,vib", "--kind-column", "fault_kind", "--window", "48",
            "--family", "pca", "--features", "residual", "--residual-inputs", "egt:ff", "--out", pkg,
            "--provenance", "synthetic test flights", "--licence", "test data",
        ];
        var rc = LabCli.Run(args, log, log);
        Assert.True(rc == 0, log.ToString());
        var m = PackageReader.ReadManifest(pkg);
        Assert.Equal(48, m.Input.WindowLength);
        Assert.Equal(6, m.Input.Channels.Count);
        Assert.True(ReleaseGate.SelfTest(pkg, m).Passed, log.ToString());
        Assert.True(m.Metric("int8.spearman") >= 0.99, $"spearman {m.Metric("int8.spearman")}");
        Assert.True(m.Metric("test.event.detection_rate") >= 0.5, log.ToString());
    }
}
