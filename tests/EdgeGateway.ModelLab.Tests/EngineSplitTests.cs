using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Anomaly;
using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Tests;

public class EngineSplitTests
{
    private const int Window = 60;
    private const int Channels = 5;
    private const int ChangeBlock = 15;
    private static readonly string[] s_names = ["N1", "N2", "EGT", "N1@other", "EGT@other"];
    private static readonly double[] s_std = [10, 5, 100, 10, 100];

    private static ScalerSpec Scaler() => new([], [], [[]], [[0, 0, 0, 0, 0]], [s_std]);

    private static EngineSplit Split() => EngineSplit.Parse("EGT:N1:4", s_names, Scaler(), Window, ChangeBlock);

    // Raw values: N1 at 80 (plus an optional ramp), EGT 600 / 590 with optional steps at the window's middle, noise; returned scaled.
    private static float[] RawWindow(ulong seed, double ownStep = 0, double otherStep = 0, double ownRamp = 0, double otherRamp = 0, bool stuckOther = false, double level = 0)
    {
        var rng = new SplitMix64(seed);
        var x = new float[Window * Channels];
        for (var t = 0; t < Window; t++)
        {
            double Noise(double a) => a * (rng.NextDouble() - 0.5);
            var frac = t / (double)(Window - 1);
            double[] raw =
            [
                80 + level + (ownRamp * frac) + Noise(0.2),
                90 + level + Noise(0.2),
                600 + (10 * level) + (t >= Window / 2 ? ownStep : 0) + Noise(2),
                80 + level + (otherRamp * frac) + Noise(0.2),
                stuckOther ? 590 : 590 + (10 * level) + (t >= Window / 2 ? otherStep : 0) + Noise(2),
            ];
            for (var c = 0; c < Channels; c++)
            {
                x[(t * Channels) + c] = (float)(raw[c] / s_std[c]);
            }
        }

        return x;
    }

    private static float[] GraphTerms(IReadOnlyList<EngineSplit> splits, WindowFeatures features, List<float[]> windows)
    {
        var b = new OnnxGraphBuilder("split");
        b.AddInput("window", null, Window, Channels);
        features.Append(b, "window");
        b.AddOutput(EngineSplit.AppendTerms(b, splits, Channels, WindowFeatures.TimeLastName, WindowFeatures.TimeWeightsName), null, 1);
        using var scorer = new OnnxScorer(OnnxGraphBuilder.Serialize(b.Build("split")), "split");
        return scorer.Run(windows.SelectMany(w => w).ToArray(), windows.Count);
    }

    private static WindowFeatures Features()
    {
        var windows = Enumerable.Range(0, 40).Select(i => RawWindow((ulong)i + 100, level: (i % 7) - 3)).ToList();
        var rows = windows.SelectMany(w => w).ToArray();
        return WindowFeatures.Fit(rows, windows, Window, Channels, 0, 1, [], own: 3);
    }

    [Fact]
    public void Raw_FaultStepOnOwnEngine_RisesByTheStep()
    {
        var rise = Split().Raw(RawWindow(1, ownStep: 20));

        Assert.InRange(rise, 18.5f, 21.5f);
    }

    [Fact]
    public void Raw_FaultStepOnOtherEngine_HealthyEngineNotRaised()
    {
        // The other engine's EGT rises: this engine's split falls, and only a rise counts.
        Assert.Equal(0f, Split().Raw(RawWindow(2, otherStep: 20)));
    }

    [Fact]
    public void Raw_UnsteadyThrust_Gated()
    {
        var split = Split();

        Assert.True(split.Raw(RawWindow(3, ownStep: 20, otherRamp: 3)) > 15, "a 3 %N1 ramp is within the 4 %N1 gate");
        Assert.Equal(0f, split.Raw(RawWindow(3, ownStep: 20, ownRamp: 6)));
        Assert.Equal(0f, split.Raw(RawWindow(3, ownStep: 20, otherRamp: 6)));
    }

    [Fact]
    public void Raw_StuckSensorOnOtherEngine_Gated()
    {
        // A stuck EGT on the other engine would let this engine's own EGT movement pass as a split.
        Assert.Equal(0f, Split().Raw(RawWindow(4, ownStep: 20, stuckOther: true)));
    }

    // Raw window as RawWindow, with this engine's and the other's N1 rising by `burst` %N1 in the
    // window's middle third and back (a thrust burst the compared ends do not see), plus `endRise`
    // %N1 more over the last quarter on both engines.
    private static float[] BurstWindow(ulong seed, double burst, double endRise = 0, double ownStep = 20)
    {
        var x = RawWindow(seed, ownStep: ownStep);
        for (var t = 0; t < Window; t++)
        {
            var extra = (t >= Window / 3 && t < 2 * Window / 3 ? burst : 0) + (t >= 3 * Window / 4 ? endRise : 0);
            x[(t * Channels) + 0] += (float)(extra / s_std[0]);
            x[(t * Channels) + 3] += (float)(extra / s_std[3]);
        }

        return x;
    }

    [Fact]
    public void Raw_EndsGate_PassesABurstBetweenTheEndsNotAChangeAtThem()
    {
        var range = EngineSplit.Parse("EGT:N1:3", s_names, Scaler(), Window, ChangeBlock);
        var ends = EngineSplit.Parse("EGT:N1:=3", s_names, Scaler(), Window, ChangeBlock);

        Assert.False(range.EndsGate);
        Assert.True(ends.EndsGate);
        Assert.Equal(3, ends.Steady);

        // A 10 %N1 burst in the middle: the range gate closes, the ends gate sees the same thrust at both ends.
        Assert.Equal(0f, range.Raw(BurstWindow(20, burst: 10)));
        Assert.InRange(ends.Raw(BurstWindow(20, burst: 10)), 18.5f, 21.5f);

        // Thrust 5 %N1 higher at the end than at the start: closed for both.
        Assert.Equal(0f, ends.Raw(BurstWindow(21, burst: 0, endRise: 5)));
        Assert.Equal(0f, range.Raw(BurstWindow(21, burst: 0, endRise: 5)));
        Assert.InRange(ends.Raw(BurstWindow(22, burst: 0, endRise: 2)), 18.5f, 21.5f);
        Assert.Contains("each engine's N1 moves by at most 3 between the window's first and last 15 s", ends.WithLimit(5, 2).Describe(s_names, 3), StringComparison.Ordinal);
    }

    [Fact]
    public void AppendTerms_EndsAndRangeGates_GraphMatchesCSharp()
    {
        var features = Features();
        var normal = Enumerable.Range(0, 20).Select(i => RawWindow((ulong)i + 300, ownRamp: (i % 4) * 0.7)).ToList();
        var splits = EngineSplit.ParseList("EGT:N1:=3, -EGT:N1:3:2", s_names, Scaler(), Window, ChangeBlock)
            .Select(s => s.WithGateSlope(normal).WithLimit(5, 2.5))
            .ToList();
        var windows = new List<float[]>();
        for (var i = 0; i < 20; i++)
        {
            var seed = (ulong)i + 900;
            windows.Add((i % 5) switch
            {
                0 => BurstWindow(seed, burst: 8 + i),
                1 => BurstWindow(seed, burst: 0, endRise: 4),
                2 => BurstWindow(seed, burst: 6, ownStep: -12),
                3 => BurstWindow(seed, burst: 0, ownStep: -12),
                _ => RawWindow(seed, ownStep: 9),
            });
        }

        var got = GraphTerms(splits, features, windows);
        for (var i = 0; i < windows.Count; i++)
        {
            var want = splits.Max(s => s.Term(windows[i]));
            Assert.True(Math.Abs(want - got[i]) <= 1e-3 + (1e-4 * Math.Abs(want)), $"window {i}: C# {want} ONNX {got[i]}");
        }

        Assert.True(got.Where((_, i) => i % 5 == 0).All(v => v > 2.5), "a rise with a burst between the ends passes the ends gate");
        Assert.True(got.Where((_, i) => i % 5 is 1 or 2).All(v => v == 0), "thrust changed at the ends (ends gate) or a burst (range gate of the falling split)");
        Assert.True(got.Where((_, i) => i % 5 == 3).All(v => v > 2.5), "a fall on steady thrust passes the falling split's range gate");
    }

    [Fact]
    public void WithGateSlope_ThrustMismatch_TakenOutOnlyWhenItLowersTheSplit()
    {
        // Normal windows: EGT follows N1 at 9 degC per %N1 on both engines, the engines' N1 ramps differ.
        var normal = new List<float[]>();
        for (var i = 0; i < 30; i++)
        {
            var x = RawWindow((ulong)i + 200, ownRamp: (i % 5) * 0.5);
            for (var t = 0; t < Window; t++)
            {
                var ramp = (i % 5) * 0.5 * t / (Window - 1);
                x[(t * Channels) + 2] += (float)(9 * ramp / s_std[2]);
            }

            normal.Add(x);
        }

        var plain = Split();
        var split = plain.WithGateSlope(normal);

        Assert.InRange(split.GateSlope, 8, 10);
        Assert.True(normal.Max(x => plain.Raw(x)) > 10, "without the correction the mismatch shows as a split rise");
        Assert.True(normal.Max(x => split.Raw(x)) < 2, "with it the normal windows stay near zero");

        // The other engine's N1 reads high (a sensor drift): the correction would raise the split, so it is not applied.
        var drift = RawWindow(9, otherRamp: 3);
        Assert.Equal(plain.Raw(drift), split.Raw(drift));
    }

    [Fact]
    public void Append_OnnxGraph_MatchesCSharpTerm()
    {
        var features = Features();
        var normal = Enumerable.Range(0, 20).Select(i => RawWindow((ulong)i + 300, ownRamp: (i % 4) * 0.7)).ToList();
        var split = Split().WithGateSlope(normal).WithLimit(10, 2.5);
        var windows = new List<float[]>();
        for (var i = 0; i < 24; i++)
        {
            var seed = (ulong)i + 400;
            windows.Add(i switch
            {
                < 6 => RawWindow(seed, ownStep: 10 + i, level: i % 3),
                < 12 => RawWindow(seed, otherStep: 15),
                < 16 => RawWindow(seed, ownStep: 20, ownRamp: 5),
                < 18 => RawWindow(seed, ownStep: 20, stuckOther: true),
                < 21 => RawWindow(seed, ownStep: 20, otherRamp: -2),
                _ => RawWindow(seed, level: -2),
            });
        }

        var got = GraphTerms([split], features, windows);
        for (var i = 0; i < windows.Count; i++)
        {
            var want = split.Term(windows[i]);
            Assert.True(Math.Abs(want - got[i]) <= 1e-3 + (1e-4 * Math.Abs(want)), $"window {i}: C# {want} ONNX {got[i]}");
        }

        Assert.True(got.Take(6).All(v => v > 2), "fault steps of 10-15 degC against a limit of 10 score above 2.5 x 1.0");
        Assert.True(got.Skip(6).Take(12).All(v => v == 0), "healthy engine, unsteady and stuck windows score 0");
    }

    [Fact]
    public void Raw_FallingSplit_CountsOwnFallsOnly()
    {
        var falling = EngineSplit.Parse("-EGT:N1:4", s_names, Scaler(), Window, ChangeBlock);

        Assert.True(falling.Falling);
        Assert.InRange(falling.Raw(RawWindow(1, ownStep: -20)), 18.5f, 21.5f);
        Assert.Equal(0f, falling.Raw(RawWindow(1, ownStep: 20)));

        // The other engine's value falls (its fault): this engine's split rises, which a falling split ignores.
        Assert.Equal(0f, falling.Raw(RawWindow(2, otherStep: -20)));
        Assert.Equal(0f, falling.Raw(RawWindow(4, ownStep: -20, stuckOther: true)));
        Assert.Equal(0f, falling.Raw(RawWindow(3, ownStep: -20, ownRamp: 6)));
    }

    [Fact]
    public void AppendTerms_TwoSplits_GraphGivesTheLargerTermOfEach()
    {
        var features = Features();
        var normal = Enumerable.Range(0, 20).Select(i => RawWindow((ulong)i + 300, ownRamp: (i % 4) * 0.7)).ToList();
        var splits = EngineSplit.ParseList("EGT:N1:4, -EGT:N1:4:2", s_names, Scaler(), Window, ChangeBlock);
        Assert.Equal([0, 1], splits.Select(s => s.Index));
        Assert.True(double.IsNaN(splits[0].Margin));
        Assert.Equal(2, splits[1].Margin);

        var rising = splits[0].WithGateSlope(normal).WithLimit(10, 2.5);
        var falling = splits[1].WithGateSlope(normal).WithLimit(5, 2.5);
        var windows = new List<float[]>();
        for (var i = 0; i < 16; i++)
        {
            var seed = (ulong)i + 600;
            windows.Add((i % 4) switch
            {
                0 => RawWindow(seed, ownStep: 8 + i),
                1 => RawWindow(seed, ownStep: -4 - i),
                2 => RawWindow(seed, ownStep: -12, ownRamp: 6),
                _ => RawWindow(seed, level: 1),
            });
        }

        var got = GraphTerms([rising, falling], features, windows);
        for (var i = 0; i < windows.Count; i++)
        {
            var want = Math.Max(rising.Term(windows[i]), falling.Term(windows[i]));
            Assert.True(Math.Abs(want - got[i]) <= 1e-3 + (1e-4 * Math.Abs(want)), $"window {i}: C# {want} ONNX {got[i]}");
        }

        // A step down scores through the falling split only (limit 5: a 4-19 degC fall is 0.8-3.8 x the threshold).
        Assert.True(windows.Where((_, i) => i % 4 == 1).All(w => rising.Term(w) == 0 && falling.Term(w) > 1.5), "falls score through the falling split");
        Assert.True(got.Where((_, i) => i % 4 == 0).All(v => v > 1.5), "rises score through the rising split");
        Assert.True(got.Where((_, i) => i % 4 == 2).All(v => v == 0), "an unsteady window is gated in both");
    }

    [Fact]
    public void ParseList_SameChannelAndDirectionTwice_StopsNamingBoth()
    {
        var e = Assert.Throws<LabException>(() => EngineSplit.ParseList("-EGT:N1:4,-EGT:N1:6", s_names, Scaler(), Window, ChangeBlock));

        Assert.Contains("'-EGT:N1:4'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'-EGT:N1:6'", e.Message, StringComparison.Ordinal);
        Assert.Contains("falls", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CompanionChannels_GetNoFeatures()
    {
        var features = Features();

        Assert.Equal(3 * WindowFeatures.PerChannel, features.Dimension);
        var x = RawWindow(500);
        var y = (float[])x.Clone();
        for (var t = 0; t < Window; t++)
        {
            // The other engine's channels change wildly: this engine's features must not move.
            y[(t * Channels) + 3] += 5 * MathF.Sin(t);
            y[(t * Channels) + 4] = 0;
        }

        Assert.Equal(features.Compute(x), features.Compute(y));

        var b = new OnnxGraphBuilder("features");
        b.AddInput("window", null, Window, Channels);
        b.AddOutput(features.Append(b, "window"), null, features.Dimension);
        using var scorer = new OnnxScorer(OnnxGraphBuilder.Serialize(b.Build("features")), "features");
        var got = scorer.Run([.. x, .. y], 2);
        var want = features.Compute(x);
        for (var j = 0; j < features.Dimension; j++)
        {
            Assert.True(Math.Abs(want[j] - got[j]) <= 1e-2 + (1e-3 * Math.Abs(want[j])), $"feature {j}: C# {want[j]} ONNX {got[j]}");
            Assert.Equal(got[j], got[features.Dimension + j]);
        }
    }

    [Fact]
    public void OwnChannels_CompanionWithoutOwnChannel_StopsNamingIt()
    {
        var e = Assert.Throws<LabException>(() => EngineSplit.OwnChannels(["N1", "N2", "FuelFlow@other"], "q.sql"));

        Assert.Contains("'FuelFlow@other'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'FuelFlow'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnChannels_OwnChannelAfterCompanion_StopsNamingIt()
    {
        var e = Assert.Throws<LabException>(() => EngineSplit.OwnChannels(["N1", "EGT", "EGT@other", "N2"], "q.sql"));

        Assert.Contains("'N2'", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, EngineSplit.OwnChannels(s_names, "q.sql"));
    }

    [Theory]
    [InlineData("EGT:N1:4", "N1@other", new[] { "N1", "N2", "EGT", "EGT@other" })]
    [InlineData("EGT:N1:4", "EGT@other", new[] { "N1", "N2", "EGT", "N1@other" })]
    [InlineData("OilTemperature:N1:4", "OilTemperature", new[] { "N1", "N2", "EGT", "N1@other", "EGT@other" })]
    [InlineData("ln(OilTemperature):N1:4", "OilTemperature", new[] { "N1", "N2", "EGT", "N1@other", "EGT@other" })]
    [InlineData("ln():N1:4", "ln()", new[] { "N1", "N2", "EGT", "N1@other", "EGT@other" })]
    public void Parse_MissingChannel_StopsNamingIt(string spec, string missing, string[] names)
    {
        var scaler = new ScalerSpec([], [], [[]], [[.. names.Select(_ => 0.0)]], [[.. names.Select(_ => 1.0)]]);

        var e = Assert.Throws<LabException>(() => EngineSplit.Parse(spec, names, scaler, Window, ChangeBlock));

        Assert.Contains($"'{missing}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(spec, e.Message, StringComparison.Ordinal);
    }

    private static readonly string[] s_fuelNames = ["N1", "N2", "FuelFlow", "N1@other", "FuelFlow@other"];
    private static readonly double[] s_fuelMean = [80, 90, 2000, 80, 2000];
    private static readonly double[] s_fuelStd = [10, 5, 800, 10, 800];

    private static ScalerSpec FuelScaler() => new([], [], [[]], [s_fuelMean], [s_fuelStd]);

    // Raw fuel flow 2,000 / 1,900 pph scaled by a common altitude factor that ramps over the window
    // (climb: both engines' flow falls together), times optional steps of one engine at the middle.
    private static float[] FuelWindow(ulong seed, double altitudeRamp = 0, double ownStep = 1, double otherStep = 1, double n1Ramp = 0)
    {
        var rng = new SplitMix64(seed);
        var x = new float[Window * Channels];
        for (var t = 0; t < Window; t++)
        {
            double Noise(double a) => a * (rng.NextDouble() - 0.5);
            var frac = t / (double)(Window - 1);
            var altitude = 1 - (altitudeRamp * frac);
            var late = t >= Window / 2;
            double[] raw =
            [
                80 + (n1Ramp * frac) + Noise(0.05),
                90 + Noise(0.05),
                (2000 * altitude * (late ? ownStep : 1)) + Noise(4),
                80 + Noise(0.05),
                (1900 * altitude * (late ? otherStep : 1)) + Noise(4),
            ];
            for (var c = 0; c < Channels; c++)
            {
                x[(t * Channels) + c] = (float)((raw[c] - s_fuelMean[c]) / s_fuelStd[c]);
            }
        }

        return x;
    }

    [Fact]
    public void Raw_LogSplit_ComparesTheEnginesRatio()
    {
        var ratio = EngineSplit.Parse("ln(FuelFlow):N1:1", s_fuelNames, FuelScaler(), Window, ChangeBlock);
        var difference = EngineSplit.Parse("FuelFlow:N1:1", s_fuelNames, FuelScaler(), Window, ChangeBlock);

        Assert.True(ratio.Log);
        Assert.False(difference.Log);

        // This engine's reading 5 % high from the middle: the ratio rises by ln 1.05, whatever the level.
        Assert.InRange(ratio.Raw(FuelWindow(1, ownStep: 1.05)), 0.045f, 0.053f);
        Assert.InRange(ratio.Raw(FuelWindow(1, ownStep: 1.05, altitudeRamp: 0.3)), 0.045f, 0.053f);

        // Both engines' flow falling 30 % together (a climb at steady N1) moves their difference by
        // 30 pph but not their ratio.
        Assert.True(difference.Raw(FuelWindow(2, altitudeRamp: -0.3)) > 20, "the difference follows the level");
        Assert.True(ratio.Raw(FuelWindow(2, altitudeRamp: -0.3)) < 0.003, "the ratio does not");

        // The other engine's reading high: this engine's ratio falls, which only a falling split counts.
        var falling = EngineSplit.Parse("-ln(FuelFlow):N1:1", s_fuelNames, FuelScaler(), Window, ChangeBlock);
        Assert.Equal(0f, ratio.Raw(FuelWindow(3, otherStep: 1.05)));
        Assert.InRange(falling.Raw(FuelWindow(3, otherStep: 1.05)), 0.045f, 0.053f);
        Assert.Equal(0f, ratio.Raw(FuelWindow(3, ownStep: 1.05, n1Ramp: 2)));
        Assert.Contains("ln FuelFlow - ln FuelFlow@other", ratio.WithLimit(0.02, 2).Describe(s_fuelNames, 3), StringComparison.Ordinal);
    }

    [Fact]
    public void AppendTerms_LogAndPlainSplits_GraphMatchesCSharp()
    {
        var windows = new List<float[]>();
        for (var i = 0; i < 18; i++)
        {
            var seed = (ulong)i + 700;
            windows.Add((i % 6) switch
            {
                0 => FuelWindow(seed, ownStep: 1.02 + (0.01 * i)),
                1 => FuelWindow(seed, otherStep: 1.04, altitudeRamp: 0.2),
                2 => FuelWindow(seed, ownStep: 0.95, altitudeRamp: -0.2),
                3 => FuelWindow(seed, ownStep: 1.1, n1Ramp: 3),
                4 => FuelWindow(seed, altitudeRamp: 0.4),
                _ => FuelWindow(seed, ownStep: 1.03, otherStep: 1.03),
            });
        }

        var normal = Enumerable.Range(0, 20).Select(i => FuelWindow((ulong)i + 800, altitudeRamp: (i % 5) * 0.05)).ToList();
        var splits = EngineSplit.ParseList("ln(FuelFlow):N1:1, -FuelFlow:N1:1:2", s_fuelNames, FuelScaler(), Window, ChangeBlock)
            .Select((s, i) => s.WithGateSlope(normal).WithLimit(i == 1 ? 50 : 0.02, 2.5))
            .ToList();
        var rows = windows.SelectMany(w => w).ToArray();
        var features = WindowFeatures.Fit(rows, windows, Window, Channels, 0, 1, [], own: 3);

        var got = GraphTerms(splits, features, windows);
        for (var i = 0; i < windows.Count; i++)
        {
            var want = splits.Max(s => s.Term(windows[i]));
            Assert.True(Math.Abs(want - got[i]) <= 1e-3 + (1e-4 * Math.Abs(want)), $"window {i}: C# {want} ONNX {got[i]}");
        }

        Assert.True(got.Where((_, i) => i % 6 is 0).All(v => v > 2.5), "own steps of 2-7 % over a limit of 2 % score above the threshold");
        Assert.True(got.Where((_, i) => i % 6 is 2).All(v => v > 2.5), "a 5 % fall of 2,000 pph (100 pph) over a limit of 50 pph scores through the plain falling split");
        Assert.True(got.Where((_, i) => i % 6 is 3).All(v => v == 0), "an unsteady window is gated");
    }

    [Theory]
    [InlineData("EGT:N1")]
    [InlineData("EGT:N1:-4")]
    [InlineData("EGT:N1:x")]
    [InlineData("EGT:N1:4:0.5")]
    [InlineData("EGT:N1:4:x")]
    [InlineData("EGT:N1:4:2:1")]
    [InlineData("EGT:N1:=")]
    [InlineData("EGT:N1:=-2")]
    public void Parse_Malformed_StopsWithTheForm(string spec)
    {
        var e = Assert.Throws<LabException>(() => EngineSplit.Parse(spec, s_names, Scaler(), Window, ChangeBlock));

        Assert.Contains("[-]TARGET:GATE:STEADY[:MARGIN]", e.Message, StringComparison.Ordinal);
    }
}
