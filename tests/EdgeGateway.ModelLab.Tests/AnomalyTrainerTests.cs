using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Cli;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.ModelLab.Tests;

public class AnomalyTrainerTests
{
    private static string[] TrainArgs(string csv, string outDir, params string[] extra) =>
    [
        "train", "anomaly", "--csv", csv, "--time", "t", "--group", "flight", "--label", "label",
        "--channels", "n1,n2,egt,ff,oilp,vib", "--kind-column", "fault_kind", "--window", "32",
        "--epochs", "8", "--ae-hidden", "32,8,32", "--out", outDir,
        "--provenance", "synthetic test flights", "--licence", "test data", .. extra,
    ];

    [Fact]
    public void TrainAnomaly_SyntheticFlights_DetectsFaultsAndInt8Agrees()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", SyntheticFlights.Csv(20, 8, 200, 1));
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();
        var rc = LabCli.Run(TrainArgs(csv, pkg), log, log);
        Assert.True(rc == 0, log.ToString());
        var m = PackageReader.ReadManifest(pkg);
        Assert.Equal("anomaly", m.Kind);
        Assert.NotNull(m.Decision);
        Assert.Contains(m.Metrics, x => x.Name == "validation.pca.row_f1");
        Assert.Contains(m.Metrics, x => x.Name == "validation.ae.row_f1");
        Assert.True(m.Metric("test.event.detection_rate") >= 0.5, log.ToString());
        Assert.Equal(1.0, m.Metric("test.event.kind.vib_step.detection_rate"));

        // A test-sized model: the graph's structure and float constants weigh more than its weights,
        // so the file shrinks less than the weights, which int8 cuts to a quarter plus the scales.
        Assert.True(m.Metric("int8.size_ratio") <= 0.45, $"size ratio {m.Metric("int8.size_ratio")}\n{log}");
        Assert.InRange(m.Metric("int8.weight_ratio")!.Value, 0.25, 0.30);
        Assert.True(m.Metric("int8.weight_ratio") < m.Metric("int8.size_ratio"));
        Assert.True(m.Metric("int8.spearman") >= 0.99, $"spearman {m.Metric("int8.spearman")}");
        Assert.True(m.Metric("int8.row_f1_delta") <= 0.01, $"F1 delta {m.Metric("int8.row_f1_delta")}");
        Assert.True(ReleaseGate.SelfTest(pkg, m).Passed);
        Assert.True(File.Exists(Path.Combine(pkg, "MODEL_CARD.md")));
        Assert.True(File.Exists(Path.Combine(pkg, "report", "evaluation.md")));

        // The autoencoder's loss curves are in the training report whichever family ships: one
        // line per epoch run (at most --epochs 8), both losses, the epoch whose weights were kept.
        var training = File.ReadAllText(Path.Combine(pkg, "report", "training.md"));
        var losses = File.ReadAllLines(Path.Combine(pkg, "report", "training_loss.csv"));
        Assert.Equal("epoch,train_mse,validation_mse", losses[0]);
        Assert.InRange(losses.Length - 1, 1, 8);
        Assert.All(losses[1..], l => Assert.Equal(3, l.Split(',').Length));
        var shipped = m.Metrics.Any(x => x.Name == "validation.ae.row_f1") && training.Contains("Shipped: **ae**", StringComparison.Ordinal) ? "shipped" : "compared, not shipped";
        Assert.Contains($"## Autoencoder training ({shipped})", training, StringComparison.Ordinal);
        Assert.Contains($"{losses.Length - 1} epochs run", training, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(pkg, "report", "loss_autoencoder.png")).Length > 1000);
    }

    [Fact]
    public void Evaluate_HeldOutFlights_ReportsTheirInt8ChecksOnce()
    {
        using var tmp = new TempDir();
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();
        Assert.Equal(0, LabCli.Run(TrainArgs(tmp.File("train.csv", SyntheticFlights.Csv(12, 4, 120, 2)), pkg, "--family", "pca"), log, log));
        var heldOut = tmp.File("held-out.csv", SyntheticFlights.Csv(10, 6, 120, 9));
        var outDir = tmp.Combine("eval");
        using var stdout = new StringWriter();

        var rc = LabCli.Run(
            ["evaluate", "--package", pkg, "--csv", heldOut, "--time", "t", "--group", "flight", "--label", "label", "--channels", "n1,n2,egt,ff,oilp,vib", "--kind-column", "fault_kind", "--out", outDir],
            stdout,
            stdout);

        Assert.True(rc == 0, stdout.ToString());
        var report = File.ReadAllLines(Path.Combine(outDir, "evaluation.md"));
        var printed = stdout.ToString().Split('\n').Where(l => l.StartsWith("int8.", StringComparison.Ordinal)).ToList();
        Assert.Contains(printed, l => l.StartsWith("int8.row_f1 = ", StringComparison.Ordinal));

        // Each int8 check appears once, with the held-out value the command printed, not the training split's beside it.
        foreach (var line in printed)
        {
            var name = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var rows = report.Where(r => r.StartsWith($"| {name} |", StringComparison.Ordinal)).ToList();
            Assert.True(rows.Count == 1, $"{name}: {rows.Count} rows in the report");
            var value = double.Parse(line[(line.IndexOf('=', StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(value, double.Parse(rows[0].Split('|')[2], System.Globalization.CultureInfo.InvariantCulture), 4);
        }
    }

    // The synthetic flights with a second engine's N1 and fuel flow (its own fuel flow 3 % lower, with
    // noise of its own); zeroFuelAt: that row of every flight reads 0 pph on the other engine.
    private static string WithOtherEngine(string csv, int zeroFuelAt = -1)
    {
        var rng = new EdgeGateway.ModelLab.Training.SplitMix64(5);
        var lines = csv.TrimEnd('\n').Split('\n');
        var sb = new System.Text.StringBuilder(lines[0].Replace(",label,", ",n1@other,ff@other,label,", StringComparison.Ordinal)).Append('\n');
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            var t = int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture);
            var n1 = double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) + (0.2 * (rng.NextDouble() - 0.5));
            var ff = t == zeroFuelAt ? 0 : (double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture) * 0.97) + (20 * (rng.NextDouble() - 0.5));
            sb.Append(string.Join(',', f.Take(8))).Append(System.Globalization.CultureInfo.InvariantCulture, $",{n1:F3},{ff:F1},").Append(string.Join(',', f.Skip(8))).Append('\n');
        }

        return sb.ToString();
    }

    private static string[] RatioSplitArgs(string csv, string outDir) =>
    [
        "train", "anomaly", "--csv", csv, "--time", "t", "--group", "flight", "--label", "label",
        "--channels", "n1,n2,egt,ff,oilp,vib,n1@other,ff@other", "--kind-column", "fault_kind", "--window", "64",
        "--family", "pca", "--features", "residual", "--engine-split", "ln(ff):n1:100,-ln(ff):n1:100", "--out", outDir,
        "--provenance", "synthetic test flights", "--licence", "test data",
    ];

    [Fact]
    public void TrainAnomaly_RatioSplit_DescribedInTheManifest()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", WithOtherEngine(SyntheticFlights.Csv(12, 4, 240, 3)));
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();

        Assert.True(LabCli.Run(RatioSplitArgs(csv, pkg), log, log) == 0, log.ToString());

        var m = PackageReader.ReadManifest(pkg);
        Assert.Contains("the rise of ln ff - ln ff@other", m.Description, StringComparison.Ordinal);
        Assert.Contains("the fall of ln ff - ln ff@other", m.Description, StringComparison.Ordinal);
        Assert.InRange(m.Metric("train.split.limit")!.Value, 1e-4, 0.05);
    }

    [Fact]
    public void TrainAnomaly_RatioSplitOverZeroFuelFlow_StopsNamingChannelAndRow()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", WithOtherEngine(SyntheticFlights.Csv(12, 4, 240, 3), zeroFuelAt: 100));
        using var log = new StringWriter();

        Assert.NotEqual(0, LabCli.Run(RatioSplitArgs(csv, tmp.Combine("pkg")), log, log));

        var text = log.ToString();
        Assert.Contains("'ln(ff):n1:100'", text, StringComparison.Ordinal);
        Assert.Contains("'ff@other' is 0", text, StringComparison.Ordinal);
        Assert.Contains("positive", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainAnomaly_SameSeedTwice_IdenticalManifestAndOnnx()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", SyntheticFlights.Csv(12, 4, 120, 2));
        using var log = new StringWriter();
        Assert.Equal(0, LabCli.Run(TrainArgs(csv, tmp.Combine("a"), "--family", "pca"), log, log));
        Assert.Equal(0, LabCli.Run(TrainArgs(csv, tmp.Combine("b"), "--family", "pca"), log, log));
        foreach (var f in new[] { "manifest.json", "anomaly.onnx", "anomaly.int8.onnx" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.Combine("a"), f)), File.ReadAllBytes(Path.Combine(tmp.Combine("b"), f)));
        }
    }

    [Fact]
    public void Score_TrainOnFirstRowsScoreRest_OneLinePerRow()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", SyntheticFlights.Csv(10, 2, 150, 3));
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();
        var rc = LabCli.Run(TrainArgs(csv, pkg, "--train-rows", "1200", "--family", "pca"), log, log);
        Assert.True(rc == 0, log.ToString());
        using var output = new StringWriter();
        Assert.Equal(0, LabCli.Run(["score", "--package", pkg, "--csv", csv, "--time", "t", "--group", "flight"], output, output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("group,time,score,flag", lines[0]);
        Assert.Equal(12 * 150, lines.Length - 1);
        Assert.Contains(lines.Skip(1201), l => l.EndsWith(",1", StringComparison.Ordinal));
    }

    [Fact]
    public void Release_GateFails_PrintsRuleAndDoesNotSign()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", SyntheticFlights.Csv(12, 4, 120, 4));
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();
        Assert.Equal(0, LabCli.Run(TrainArgs(csv, pkg, "--family", "pca"), log, log));
        var gate = tmp.File("gate.json", """
            { "metrics": [ { "name": "test.row.f1", "min": 1.01 } ], "groups": [],
              "allowedColumns": ["flight", "t", "n1", "n2", "egt", "ff", "oilp", "vib", "label"], "requireProvenance": true }
            """);
        var key = tmp.Combine("k.private.pem");
        using var output = new StringWriter();
        Assert.Equal(0, LabCli.Run(["keygen", "--private-out", key, "--public-out", tmp.Combine("k.public.pem")], output, output));
        var rc = LabCli.Run(["release", "--package", pkg, "--gate", gate, "--key", key], output, output);
        var text = output.ToString();
        Assert.Equal(1, rc);
        Assert.Contains("FAIL  metric test.row.f1", text, StringComparison.Ordinal);
        Assert.Contains("required >= 1.01", text, StringComparison.Ordinal);
        Assert.Contains("FAIL  column allow-list: not allowed: fault_kind", text, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(pkg, PackageSignature.FileName)));
    }

    [Fact]
    public void Release_GatePasses_SignsAndVerifies()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", SyntheticFlights.Csv(12, 4, 120, 5));
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();
        Assert.Equal(0, LabCli.Run(TrainArgs(csv, pkg, "--family", "pca"), log, log));
        var gate = tmp.File("gate.json", """
            { "metrics": [ { "name": "int8.spearman", "min": 0.99 } ], "groups": [],
              "allowedColumns": ["flight", "t", "n1", "n2", "egt", "ff", "oilp", "vib", "label", "fault_kind"], "requireProvenance": true }
            """);
        var keys = Directory.CreateDirectory(tmp.Combine("trusted")).FullName;
        var key = tmp.Combine("k.private.pem");
        using var output = new StringWriter();
        Assert.Equal(0, LabCli.Run(["keygen", "--private-out", key, "--public-out", Path.Combine(keys, "k.public.pem")], output, output));
        Assert.True(LabCli.Run(["release", "--package", pkg, "--gate", gate, "--key", key], output, output) == 0, output.ToString());
        Assert.Equal(0, LabCli.Run(["verify", "--package", pkg, "--trusted", keys], output, output));
        Assert.True(PackageVerifier.Verify(pkg, Directory.GetFiles(keys)).Ok);
    }

    [Fact]
    public void ReleaseGate_GroupRuleWithMinCount_SmallGroupsListedNotJudged()
    {
        using var tmp = new TempDir();
        var pkg = tmp.Combine("pkg");
        using var log = new StringWriter();
        Assert.Equal(0, LabCli.Run(TrainArgs(tmp.File("flights.csv", SyntheticFlights.Csv(12, 4, 120, 6)), pkg, "--family", "pca", "--slice-columns", "fault_kind"), log, log));
        var trained = PackageReader.ReadManifest(pkg);

        // The slices are in the recorded command (reproduce re-runs it) and give per-value figures.
        Assert.Contains("--slice-columns fault_kind", string.Join(' ', trained.Training.Command), StringComparison.Ordinal);
        Assert.Contains(trained.Metrics, m => m.Name.StartsWith("test.event.fault_kind.", StringComparison.Ordinal) && m.Name.EndsWith(".detection_rate", StringComparison.Ordinal));
        var manifest = trained with
        {
            Metrics =
            [
                new("test.event.detection_rate", 0.9),
                new("test.event.phase.climb.count", 2), new("test.event.phase.climb.detection_rate", 0.0),
                new("test.event.phase.cruise.count", 10), new("test.event.phase.cruise.detection_rate", 0.95),
                new("test.event.phase.descent.count", 8), new("test.event.phase.descent.detection_rate", 0.3),
                new("test.event.phase.taxi.detection_rate", 1.0),
            ],
        };
        var gate = new GateConfig([], [new GroupRule("test.event.detection_rate", "test.event.phase.", ".detection_rate", true, 0.4, MinCount: 5)], [], RequireProvenance: false);

        var groups = ReleaseGate.Check(pkg, manifest, gate).Where(r => r.Rule.StartsWith("group ", StringComparison.Ordinal)).ToDictionary(r => r.Rule[6..]);

        Assert.Equal((true, "0.0000 on 2 cases: not judged, fewer than 5"), (groups["test.event.phase.climb.detection_rate"].Passed, groups["test.event.phase.climb.detection_rate"].Detail));
        Assert.True(groups["test.event.phase.cruise.detection_rate"].Passed);
        Assert.Equal((false, "0.3000 vs overall 0.9000; limit >= 0.5400 (40 %)"), (groups["test.event.phase.descent.detection_rate"].Passed, groups["test.event.phase.descent.detection_rate"].Detail));
        Assert.False(groups["test.event.phase.taxi.detection_rate"].Passed);
        Assert.Contains("test.event.phase.taxi.count missing", groups["test.event.phase.taxi.detection_rate"].Detail, StringComparison.Ordinal);

        // Without a minimum every group is judged.
        var all = ReleaseGate.Check(pkg, manifest, gate with { Groups = [gate.Groups[0] with { MinCount = 0 }] });
        Assert.False(all.Single(r => r.Rule == "group test.event.phase.climb.detection_rate").Passed);
    }

    [Fact]
    public void Keygen_PrivateKeyInsideRepository_Refused()
    {
        var root = RepoPaths.Root();
        using var output = new StringWriter();
        var target = Path.Combine(root, "models", "leak.pem");
        var rc = LabCli.Run(["keygen", "--private-out", target, "--public-out", Path.Combine(Path.GetTempPath(), "x.public.pem")], output, output);
        Assert.Equal(2, rc);
        Assert.Contains("must not enter the repository", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Eda_SyntheticFlights_WritesReportWithBalance()
    {
        using var tmp = new TempDir();
        var csv = tmp.File("flights.csv", SyntheticFlights.Csv(4, 2, 100, 6));
        using var output = new StringWriter();
        var rc = LabCli.Run(["eda", "--csv", csv, "--time", "t", "--group", "flight", "--label", "label", "--channels", "n1,egt,vib", "--out", tmp.Combine("eda")], output, output);
        Assert.True(rc == 0, output.ToString());
        var md = File.ReadAllText(Path.Combine(tmp.Combine("eda"), "eda.md"));
        Assert.Contains("Imbalance ratio", md, StringComparison.Ordinal);
        Assert.Contains("Hampel spikes", md, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(tmp.Combine("eda"), "correlations.png")));
    }
}
