using System.Globalization;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Models;
using EdgeGateway.Inference;
using EdgeGateway.Inference.Packages;
using EdgeGateway.Inference.Rul;
using EdgeGateway.Landing;
using EdgeGateway.Simulator.Cli;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeGateway.Integration.Tests.Inference;

public sealed class CmapssRulTests
{
    private static string CmapssFile => Path.Combine(RepoPaths.Root, "..", "..", "shared", "data", "cmapss", "test_FD001.txt") is var p && File.Exists(p)
        ? p
        : "/work/shared/data/cmapss/test_FD001.txt";

    [Fact]
    public void Replay_CmapssCycles_RulMatchesLabPredictionForTheUnit()
    {
        using var dir = new TempDir();
        string caps = Path.Combine(dir.Path, "caps");

        // FD001 test unit 1 has 31 cycles: its last-cycle estimate is what the lab's evaluation reports.
        Assert.Equal(SimulatorCli.ExitOk, SimulatorCli.Run(["cmapss", "--data", CmapssFile, "--engine", "1:1", "--engine", "2:1:900777", "--out-dir", caps], TextWriter.Null, TextWriter.Null));
        var captures = Directory.GetFiles(caps, "*.cap").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(31, captures.Length);

        var table = LabelTableLoader.Load(Path.Combine(RepoPaths.Root, "firmware-config", "label-tables", "cmapss-demo.json"));
        var options = new InferenceOptions();
        using var models = ModelSet.Load(Path.Combine(RepoPaths.Root, "models", "rul"), Path.Combine(RepoPaths.Root, "firmware-config", "trusted-keys"), options);
        Assert.NotNull(models.Rul);
        using var history = new EngineHistory(Path.Combine(dir.Path, "history.db"));
        var setup = new AnalysisSetup { Models = models, History = history, Options = options };

        // The package estimates from its minimum history on (padding the window with the oldest snapshot), not before.
        var manifest = models.Rul!.Manifest;
        int needed = manifest.Input.MinimumRows ?? manifest.Input.WindowLength;
        Assert.InRange(needed, 2, captures.Length);
        Core.Summaries.FlightSummary? last = null;
        for (int i = 0; i < captures.Length; i++)
        {
            last = CaptureReplay.Run(captures[i], table, setup).Summary;
            var e1 = last.Rul.Single(r => r.EnginePosition == 1);
            Assert.Equal(i + 1, e1.HistoryCycles);
            if (i + 1 == needed - 1)
            {
                Assert.Null(e1.EstimateCycles);
                Assert.Contains($"history has {needed - 1} of the {needed} cycles the model needs", e1.Status, StringComparison.Ordinal);
            }
            else if (i + 1 == needed)
            {
                Assert.InRange(e1.EstimateCycles!.Value, LabPrediction(manifest, CmapssFile, unit: 1, cycles: needed) - 1.0, LabPrediction(manifest, CmapssFile, unit: 1, cycles: needed) + 1.0);
            }
        }

        var rul = last!.Rul.Single(r => r.EnginePosition == 1);
        Assert.Equal(31, rul.HistoryCycles);
        Assert.True(rul.SnapshotTaken);
        Assert.NotNull(rul.EstimateCycles);

        // The lab's evaluation: the fp32 model on the unit's last window (padded by repeating its first cycle where the window is longer), normalised with the package's scaler.
        double lab = LabPrediction(manifest, CmapssFile, unit: 1, cycles: captures.Length);
        Assert.InRange(rul.EstimateCycles!.Value, lab - 1.0, lab + 1.0);

        // Replaying the last landing again does not add a cycle.
        var again = CaptureReplay.Run(captures[^1], table, setup).Summary.Rul.Single(r => r.EnginePosition == 1);
        Assert.Equal(31, again.HistoryCycles);
        Assert.False(again.SnapshotTaken);
        Assert.Equal(rul.EstimateCycles, again.EstimateCycles);

        // Same trajectory on engine 2 under another serial: its own history, the same estimate.
        var eng2 = last.Rul.Single(r => r.EnginePosition == 2);
        Assert.Equal("900777", eng2.Serial);
        Assert.InRange(eng2.EstimateCycles!.Value, lab - 1.0, lab + 1.0);
    }

    [Fact]
    public void EstimateWindow_ShortHistory_SameAsTheWindowPaddedWithItsOldestSnapshot()
    {
        using var models = ModelSet.Load(Path.Combine(RepoPaths.Root, "models", "rul"), Path.Combine(RepoPaths.Root, "firmware-config", "trusted-keys"), new InferenceOptions());
        var estimator = new RulEstimator(models.Rul!);
        var input = models.Rul!.Manifest.Input;
        int w = input.WindowLength;
        int min = estimator.MinimumRows;
        Assert.True(min < w, "the shipped RUL package pads its window");

        var columns = new[] { "setting1", "setting2", "setting3" }.Concat(Enumerable.Range(1, 21).Select(i => $"s{i}")).ToList();
        var snapshots = File.ReadLines(CmapssFile)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 2 && f[0] == "1")
            .Select(f => (IReadOnlyDictionary<string, double>)input.Channels.Concat(input.Settings)
                .ToDictionary(RulInputMap.ParameterOf, name => double.Parse(f[2 + columns.IndexOf(name)], CultureInfo.InvariantCulture), StringComparer.Ordinal))
            .ToList();

        // min snapshots give the estimate of the full window whose first w - min rows repeat the oldest.
        var history = snapshots.Take(min).ToList();
        var padded = Enumerable.Repeat(history[0], w - min).Concat(history).ToList();
        Assert.Equal(estimator.EstimateWindow(padded), estimator.EstimateWindow(history));
        Assert.NotEqual(estimator.EstimateWindow(padded), estimator.EstimateWindow(Enumerable.Repeat(history[^1], w - min).Concat(history).ToList()));

        // Fewer than the minimum, or more than the window, is refused with both bounds named.
        var few = Assert.Throws<ArgumentException>(() => estimator.EstimateWindow(history.Take(min - 1).ToList()));
        Assert.Contains($"{min - 1} rows given; the model takes {min} to {w}", few.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => estimator.EstimateWindow(Enumerable.Repeat(history[0], w + 1).ToList()));
    }

    // The unit's first `cycles` rows: the lab's window ending at the last of them, padded as RulTrainer.WindowRow pads.
    private static double LabPrediction(ModelManifest manifest, string file, int unit, int cycles)
    {
        var columns = new[] { "setting1", "setting2", "setting3" }.Concat(Enumerable.Range(1, 21).Select(i => $"s{i}")).ToList();
        var rows = File.ReadLines(file)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 2 && f[0] == unit.ToString(CultureInfo.InvariantCulture))
            .Select(f => f.Skip(2).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray())
            .Take(cycles)
            .ToList();
        int w = manifest.Input.WindowLength, c = manifest.Input.Channels.Count;
        var input = new float[w * c];
        var window = Enumerable.Range(0, w).Select(t => rows[Math.Max(0, rows.Count - w + t)]).ToList();
        for (int r = 0; r < w; r++)
        {
            var settings = manifest.Input.Settings.Select(s => window[r][columns.IndexOf(s)]).ToArray();
            var channels = manifest.Input.Channels.Select(s => window[r][columns.IndexOf(s)]).ToArray();
            manifest.Scaler.Normalize(settings, channels, input.AsSpan(r * c, c));
        }

        var fp32 = manifest.Files.Single(f => f.Role == "fp32");
        using var session = new InferenceSession(Path.Combine(RepoPaths.Root, "models", "rul", fp32.Path));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(manifest.Input.TensorName, new DenseTensor<float>(input, [1, w, c]))]);
        return results[0].AsEnumerable<float>().First();
    }
}
