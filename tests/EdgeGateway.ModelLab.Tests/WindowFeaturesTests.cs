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
    private static float[] Rows(int n, ulong seed, float offset = 0)
    {
        var rng = new SplitMix64(seed);
        var rows = new float[n * Channels];
        for (var r = 0; r < n; r++)
        {
            var a = offset + (float)Math.Sin(r / 40.0);
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

    private static void AssertGraphMatches(WindowFeatures f, List<float[]> windows)
    {
        var b = new OnnxGraphBuilder("features");
        b.AddInput("window", null, Window, Channels);
        var output = f.Append(b, "window");
        b.AddOutput(output, null, f.Dimension);
        using var scorer = new OnnxScorer(OnnxGraphBuilder.Serialize(b.Build("features")), "features");
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

    [Theory]
    [InlineData(0f)]
    [InlineData(1.5f)]
    [InlineData(-1.2f)]
    public void Append_OnnxGraph_MatchesCSharpFeatures(float operatingPoint)
    {
        var f = Fit(Rows(2000, 3));
        var windows = Windows(Rows(600, 4, operatingPoint), 37);
        AssertGraphMatches(f, windows);
    }

    [Theory]
    [InlineData(0f, 21UL)]
    [InlineData(1.5f, 22UL)]
    [InlineData(-1.2f, 23UL)]
    public void Append_RandomWindows_MatchesCSharpFeatures(float operatingPoint, ulong seed)
    {
        var f = Fit(Rows(2000, 3));
        var rng = new SplitMix64(seed);
        var windows = new List<float[]>();
        for (var i = 0; i < 24; i++)
        {
            // Each window at its own operating point near the given one, every value noisy.
            var level = operatingPoint + (float)(rng.NextDouble() - 0.5);
            var x = new float[Window * Channels];
            for (var j = 0; j < x.Length; j++)
            {
                x[j] = level + (float)(rng.NextDouble() - 0.5);
            }

            windows.Add(x);
        }

        AssertGraphMatches(f, windows);
    }

    [Fact]
    public void AppendTimeWeights_Graph_SameAsTimeWeightsWithinOneUlp()
    {
        var f = Fit(Rows(2000, 3));
        var b = new OnnxGraphBuilder("weights");
        b.AddInput("window", null, Window, Channels);

        // The weights do not depend on the input; adding 0 x (sum of the window) gives the graph an input.
        var zero = b.Node("Mul", [b.Node("ReduceSum", ["window", b.AddInt64("axes", [1L, 2L], 2)], "sum", OnnxGraphBuilder.IntAttr("keepdims", 0)), b.AddFloat("zero", [0f])], "zero_sum");
        var flat = b.Node("Reshape", [f.AppendTimeWeights(b), b.AddInt64("shape", [1L, 3L * Window], 2)], "flat");
        b.AddOutput(b.Node("Add", [zero, flat], "weights"), null, 3 * Window);
        using var scorer = new OnnxScorer(OnnxGraphBuilder.Serialize(b.Build("weights")), "weights");
        var got = scorer.Run(new float[Window * Channels], 1);
        var want = f.TimeWeights();
        for (var t = 0; t < Window; t++)
        {
            for (var k = 0; k < 3; k++)
            {
                var g = got[(t * 3) + k];
                var w = want[(k * Window) + t];
                Assert.True(Math.Abs(BitConverter.SingleToInt32Bits(g) - BitConverter.SingleToInt32Bits(w)) <= 1 || (g == 0 && w == 0), $"row {t} weight {k}: graph {g} C# {w}");
            }
        }
    }

    [Fact]
    public void Append_Graph_StoresNoConstantAsLongAsTheWindow()
    {
        var f = Fit(Rows(2000, 3));
        var b = new OnnxGraphBuilder("features");
        b.AddInput("window", null, Window, Channels);
        b.AddOutput(f.Append(b, "window"), null, f.Dimension);
        var model = b.Build("features");

        // The time weights come from a Range node; the largest constant is the residual map [terms, channels].
        Assert.Contains(model.Graph.Node, n => n.OpType == "Range");
        Assert.All(model.Graph.Initializer, t => Assert.True(t.Dims.Aggregate(1L, (p, d) => p * d) < Window, $"{t.Name} has {string.Join("x", t.Dims)} values"));
    }

    [Fact]
    public void Compute_StuckChannel_RangeFeatureFarBelowNormal()
    {
        var rows = Rows(2000, 5);
        var f = Fit(rows);
        var window = Windows(Rows(600, 6), 50)[3];
        var normal = f.Compute(window)[(4 * Channels) + 2];
        for (var t = 1; t < Window; t++)
        {
            window[(t * Channels) + 2] = window[2];
        }

        var stuck = f.Compute(window)[(4 * Channels) + 2];
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
        var egt = (2 * Channels) + 2;
        Assert.True(after[egt] - before[egt] > 5, $"change feature of EGT {before[egt]} -> {after[egt]}");
        Assert.True(Math.Abs(after[(2 * Channels) + 3] - before[(2 * Channels) + 3]) < 0.5, "vibration's change feature moved");
        Assert.True(Math.Abs(after[(2 * Channels) + 0] - before[(2 * Channels) + 0]) < 1e-3, "N1's change feature moved");
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
        Assert.True(after[(3 * Channels) + 3] > before[(3 * Channels) + 3] + 5, $"roughness {before[(3 * Channels) + 3]} -> {after[(3 * Channels) + 3]}");
        Assert.Equal(before[(3 * Channels) + 0], after[(3 * Channels) + 0], 3);
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
