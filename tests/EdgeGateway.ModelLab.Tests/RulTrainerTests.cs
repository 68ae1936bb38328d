using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Rul;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Tests;

public class RulTrainerTests
{
    /// <summary>
    /// Synthetic run-to-failure fleet flying three operating conditions: each condition shifts the
    /// sensors by a large offset; degradation adds a small drift that grows towards failure.
    /// </summary>
    internal static LabTable Fleet(int units, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var csv = new System.Text.StringBuilder("unit,cycle,alt,mach,s1,s2,s3,true_rul\n");
        double[][] regimes = [[0, 0.0], [25, 0.6], [42, 0.84]];
        double[][] offsets = [[500, 1400, 20], [450, 1300, 15], [430, 1250, 12]];
        for (var u = 0; u < units; u++)
        {
            var life = 60 + rng.Next(40);
            for (var c = 1; c <= life; c++)
            {
                var r = rng.Next(3);
                var wear = Math.Max(0, 1 - ((life - c) / 50.0));
                var s = new double[3];
                for (var j = 0; j < 3; j++)
                {
                    s[j] = offsets[r][j] + ((j + 1) * 3 * wear) + ((rng.NextDouble() - 0.5) * 0.5);
                }

                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"U{u:D3},{c},{regimes[r][0] + (rng.NextDouble() * 0.01)},{regimes[r][1]},{s[0]},{s[1]},{s[2]},{life - c}\n");
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"fleet-{seed}-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv.ToString());
        try
        {
            return CsvTableReader.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly RulConfig s_config = new(Window: 10, Cap: 50, Hidden: "8", MaxEpochs: 30, BatchSize: 64, LearningRate: 3e-3f, Patience: 5, Seed: 1, Members: 2);

    [Fact]
    public void FitScaler_ThreeOperatingConditions_FindsThreeRegimes()
    {
        var table = Fleet(6, 1);
        var ds = Dataset.Create(table, new ColumnRoles(["s1", "s2", "s3"], "cycle", null, "unit"), 10);
        var scaler = RulTrainer.FitScaler(ds, table, ["alt", "mach"], 0, 7);
        Assert.Equal(3, scaler.RegimeCount);
        var norm = RulTrainer.NormalizeRows(ds, table, ["alt", "mach"], scaler);

        // After per-regime scaling the condition offsets are gone: every value is a few sigma at most.
        Assert.All(norm, v => Assert.InRange(v, -6f, 6f));
    }

    [Fact]
    public void ChooseK_SingleConditionWithNoise_One()
    {
        var rng = new SplitMix64(4);
        var points = Enumerable.Range(0, 500).Select(_ => new[] { rng.NextDouble(), rng.NextDouble(), 0.0 }).ToArray();
        Assert.Equal(1, KMeans.ChooseK(points, 1));
    }

    [Fact]
    public void Train_MultiRegimeFleet_LearnsRulAndOnnxMatches()
    {
        var train = Fleet(24, 2);
        var test = Fleet(8, 3);
        var roles = new ColumnRoles(["s1", "s2", "s3"], "cycle", null, "unit");
        var model = RulTrainer.Train(Dataset.Create(train, roles, 10), ["alt", "mach"], s_config);
        var result = RulEvaluation.Evaluate(model, Dataset.Create(test, roles, 10));
        var rmse = result.Metrics.First(m => m.Name == "test.all.rmse").Value;
        Assert.True(rmse < 15, $"RMSE {rmse} on a cap of 50");
        Assert.Equal(3, model.Scaler.RegimeCount);

        using var scorer = new OnnxScorer(RulPackage.Export(model, quantize: false), "rul.onnx");
        var ds = Dataset.Create(test, roles, 10);
        var norm = model.Normalize(ds, test);
        var (_, start, length) = ds.GroupRuns().First();
        var window = norm.AsSpan((start + length - 10) * 3, 30).ToArray();
        Assert.Equal(model.PredictWindow(window), scorer.Run(window, 1)[0], 3);
    }

    [Fact]
    public void Export_SameSeedTrainedTwice_IdenticalOnnxBytes()
    {
        var train = Fleet(10, 5);
        var roles = new ColumnRoles(["s1", "s2", "s3"], "cycle", null, "unit");
        var config = s_config with { MaxEpochs = 3, Members = 1 };
        var a = RulTrainer.Train(Dataset.Create(train, roles, 10), ["alt", "mach"], config);
        var b = RulTrainer.Train(Dataset.Create(train, roles, 10), ["alt", "mach"], config);
        Assert.Equal(RulPackage.Export(a, false), RulPackage.Export(b, false));
    }

    [Fact]
    public void Window_ReachingBeforeTheUnit_RepeatsItsFirstRow()
    {
        // Two channels; the unit starts at row 2 (rows 0-1 belong to the previous unit and must never be read).
        float[] norm = [-1, -1, -2, -2, 10, 11, 20, 21, 30, 31];
        Assert.Equal(new float[] { 10, 11, 10, 11, 10, 11, 20, 21 }, RulTrainer.Window(norm, 2, unitStart: 2, end: 3, window: 4));
        Assert.Equal(new float[] { 10, 11, 20, 21, 30, 31 }, RulTrainer.Window(norm, 2, unitStart: 2, end: 4, window: 3));
        Assert.Equal(2, RulTrainer.WindowRow(2, 3, 4, 0));
        Assert.Equal(3, RulTrainer.WindowRow(2, 3, 4, 3));
    }

    [Fact]
    public void Windows_MinHistoryBelowTheWindow_EndFromTheMinimumWithPaddedStarts()
    {
        var train = Fleet(3, 8);
        var roles = new ColumnRoles(["s1", "s2", "s3"], "cycle", null, "unit");
        var ds = Dataset.Create(train, roles, 6);
        var norm = RulTrainer.NormalizeRows(ds, train, ["alt", "mach"], RulTrainer.FitScaler(ds, train, ["alt", "mach"], 0, 1));
        var runs = ds.GroupRuns().ToList();
        var config = s_config with { Window = 10, MinHistory = 6, Basis = false };

        var (x, y) = RulTrainer.Windows(ds, norm, runs, config);
        var (full, _) = RulTrainer.Windows(ds, norm, runs, s_config with { Basis = false });

        // Four more windows per unit (ending at its 6th to 9th cycle), each as long as the others.
        Assert.Equal(full.Length + (4 * runs.Count), x.Length);
        Assert.All(x, w => Assert.Equal(30, w.Length));

        // The first window of the first unit ends at its 6th cycle: five copies of cycle 1, then cycles 1-6; its target is the capped RUL there.
        var (_, start, length) = runs[0];
        var first = x[0];
        for (var t = 0; t < 10; t++)
        {
            var row = Math.Max(start, start + 5 - 9 + t);
            Assert.Equal(norm.AsSpan(row * 3, 3).ToArray(), first.AsSpan(t * 3, 3).ToArray());
        }

        Assert.Equal((float)(Math.Min(50, length - 6) / 50.0), y[0][0], 5);
    }

    [Theory]
    [InlineData("--window", "30", "--min-history", "31", "--min-history 31: must be between 1 and the window (30), or 0 for the window")]
    [InlineData("--window", "30", "--min-history", "-1", "--min-history -1: must be between 1 and the window (30), or 0 for the window")]
    [InlineData("--window", "0", "--min-history", "0", "--window 0: a window needs at least 1 cycle")]
    public void Parse_MinHistoryOutOfRange_StopsNamingTheOption(string a, string b, string c, string d, string message)
    {
        var ex = Assert.Throws<LabException>(() => RulCommand.Parse(new Cli.CliArgs(["train", "rul", "--cmapss", "/tmp", a, b, c, d])));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Command_RecordsTheMinimumHistory_SoReproduceRetrainsThePaddedModel()
    {
        var command = RulPackage.Command(new RulConfig(Window: 50, MinHistory: 30));
        Assert.Equal("30", command[command.ToList().IndexOf("--min-history") + 1]);
        var parsed = RulCommand.Parse(new Cli.CliArgs([.. command, "--cmapss", "/tmp"])).Config;
        Assert.Equal(50, parsed.Window);
        Assert.Equal(30, parsed.MinRows);
        Assert.Equal(30, RulCommand.Parse(new Cli.CliArgs(["train", "rul", "--cmapss", "/tmp", "--window", "30"])).Config.MinRows);
    }

    [Fact]
    public void Phm08_LateCostsMoreThanEarly()
    {
        Assert.True(RulMetrics.Phm08([110], [100]) > RulMetrics.Phm08([90], [100]));
        Assert.Equal(10, RulMetrics.Rmse([110, 90], [100, 100]), 10);
    }
}
