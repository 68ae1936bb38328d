using System.Diagnostics;
using EdgeGateway.ModelLab.Cli;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Rul;

/// <summary><c>train rul</c>: C-MAPSS extraction through the query files, training, evaluation, package.</summary>
public static class RulCommand
{
    /// <summary>Parsed options of <c>train rul</c>.</summary>
    /// <param name="Cmapss">C-MAPSS folder.</param>
    /// <param name="Queries">Folder with cmapss_train.sql / cmapss_test.sql.</param>
    /// <param name="Meta">Subset metadata CSV.</param>
    /// <param name="Out">Package folder.</param>
    /// <param name="Config">Training settings.</param>
    public sealed record Options(string Cmapss, string Queries, string Meta, string Out, RulConfig Config);

    /// <summary>Reads the options (also used by <c>reproduce</c>).</summary>
    public static Options Parse(CliArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = RepoPaths.Root();
        var cmapss = args.Get("cmapss") ?? RepoPaths.Cmapss() ?? throw new LabException("C-MAPSS folder not found; pass --cmapss DIR or set EDGEGATEWAY_CMAPSS");
        var d = new RulConfig();
        var config = new RulConfig(
            args.GetInt("window", d.Window),
            args.GetDouble("cap", d.Cap),
            args.Get("hidden", d.Hidden)!,
            args.GetInt("epochs", d.MaxEpochs),
            args.GetInt("batch", d.BatchSize),
            (float)args.GetDouble("lr", d.LearningRate),
            args.GetInt("patience", d.Patience),
            (ulong)args.GetInt("seed", (int)d.Seed),
            args.GetDouble("val-fraction", d.ValidationFraction),
            args.GetInt("regimes", d.Regimes),
            (float)args.GetDouble("weight-decay", d.WeightDecay),
            args.Get("features", "basis") == "basis",
            args.GetInt("members", d.Members),
            args.GetInt("min-history", d.MinHistory));
        if (config.Window < 1)
        {
            throw new LabException($"--window {config.Window}: a window needs at least 1 cycle");
        }

        if (config.MinHistory < 0 || config.MinHistory > config.Window)
        {
            throw new LabException($"--min-history {config.MinHistory}: must be between 1 and the window ({config.Window}), or 0 for the window");
        }

        return new Options(
            cmapss,
            args.Get("queries", Path.Combine(root, "models", "rul", "queries"))!,
            args.Get("meta", Path.Combine(root, "models", "rul", "data", "subsets.csv"))!,
            args.Get("out", Path.Combine(root, "models", "rul"))!,
            config);
    }

    /// <summary>Loads a C-MAPSS query's result as a validated dataset.</summary>
    public static (Dataset Data, IReadOnlyList<string> Settings) Load(Options o, string queryFile, int window)
    {
        ArgumentNullException.ThrowIfNull(o);
        var q = SqlQueryFile.Load(Path.Combine(o.Queries, queryFile));
        var values = new Dictionary<string, string> { ["cmapss"] = o.Cmapss, ["meta"] = o.Meta };
        var table = SqlTableReader.Run(q, values);
        var source = new DataSource(null, null, q.Path, values, null, [], null, null);
        var (_, roles) = (table, Roles(q, table));
        var settings = q.Directives.TryGetValue("settings", out var s) ? s.Split(',', StringSplitOptions.TrimEntries) : [];
        return (Dataset.Create(table, roles, window), settings);

        static ColumnRoles Roles(SqlQueryFile q, LabTable t)
        {
            var ch = q.Directives["channels"].Split(',', StringSplitOptions.TrimEntries);
            return new ColumnRoles(ch, q.Directives.GetValueOrDefault("time"), null, q.Directives.GetValueOrDefault("group"));
        }
    }

    /// <summary>Runs <c>train rul</c>: trains, writes the package, model card and evaluation report.</summary>
    public static int Train(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var o = Parse(args);
        args.EnsureAllUsed();
        var sw = Stopwatch.StartNew();
        var (train, settings) = Load(o, "cmapss_train.sql", o.Config.MinRows);
        var (test, _) = Load(o, "cmapss_test.sql", o.Config.MinRows);
        stdout.WriteLine($"train: {train.RowCount} rows, {train.GroupRuns().Count()} units; test: {test.RowCount} rows, {test.GroupRuns().Count()} units");
        var model = Progress.Run("training", o.Config.Members * o.Config.MaxEpochs, tick =>
            RulTrainer.Train(train, settings, o.Config, (m, e) =>
            {
                tick($"member {m} epoch {e.Epoch,3}  train {e.TrainLoss:F5}  validation {e.ValidationLoss:F5}");
            }),
            stdout);
        var trainSeconds = sw.Elapsed.TotalSeconds;
        stdout.WriteLine($"regimes: {model.Scaler.RegimeCount}; best epochs {string.Join(",", model.Trainings.Select(t => t.BestEpoch))}; training time {trainSeconds:F1} s");

        var eval = RulEvaluation.Evaluate(model, test);
        var int8Model = model with { Nets = model.Nets.Select(Onnx.MlpExporter.Dequantized).ToList() };
        var int8Eval = RulEvaluation.Evaluate(int8Model, test);
        var metrics = new List<Core.Models.Metric>(eval.Metrics);
        metrics.AddRange(int8Eval.Metrics.Where(m => m.Name.EndsWith(".rmse", StringComparison.Ordinal) || m.Name.EndsWith(".phm08", StringComparison.Ordinal))
            .Select(m => new Core.Models.Metric("int8." + m.Name, m.Value)));
        for (var i = 0; i < model.Trainings.Count; i++)
        {
            metrics.Add(new Core.Models.Metric($"train.member{i}.best_epoch", model.Trainings[i].BestEpoch));
            metrics.Add(new Core.Models.Metric($"train.member{i}.validation_mse", model.Trainings[i].BestValidationLoss));
        }

        metrics.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

        // Self-test: the first test unit's last window.
        var norm = model.Normalize(test, test.Table);
        var (_, firstStart, firstLength) = test.GroupRuns().First();
        var window = RulTrainer.Window(norm, model.Channels.Count, firstStart, firstStart + firstLength - 1, model.Config.Window);
        var selfTest = new Core.Models.SelfTestVector(window, [model.PredictWindow(window)], 0.05);

        var root = RepoPaths.Root();
        var sources = new List<Core.Models.SourceFile>
        {
            Packaging.PackageBuilder.Source("cmapss/train_FD001.txt", Path.Combine(o.Cmapss, "train_FD001.txt")),
            Packaging.PackageBuilder.Source("cmapss/train_FD003.txt", Path.Combine(o.Cmapss, "train_FD003.txt")),
            Packaging.PackageBuilder.Source(RepoPaths.Relative(o.Meta), o.Meta),
            Packaging.PackageBuilder.Source(RepoPaths.Relative(Path.Combine(o.Queries, "cmapss_train.sql")), Path.Combine(o.Queries, "cmapss_train.sql")),
        };
        var manifest = RulPackage.Manifest(model, train, sources, metrics, selfTest, Packaging.CodeVersion.Current(root));
        manifest = Packaging.PackageBuilder.Write(o.Out, manifest, [("fp32", RulPackage.Fp32File, RulPackage.Export(model, false)), ("int8", RulPackage.Int8File, RulPackage.Export(model, true))]);
        stdout.WriteLine($"package written to {o.Out} ({string.Join(", ", manifest.Files.Select(f => $"{f.Path} {f.Bytes} B"))})");

        var reportDir = Path.Combine(o.Out, "report");
        Directory.CreateDirectory(reportDir);
        RulReport.WriteTraining(reportDir, model);
        var onnxEval = EvaluatePackage(o.Out, o, stdout);
        Reports.ModelCards.WriteRul(o.Out, manifest, model, onnxEval, trainSeconds);
        foreach (var name in new[] { "test.subset.FD001.rmse", "test.subset.FD001.phm08", "test.subset.FD003.rmse", "test.subset.FD003.phm08" })
        {
            stdout.WriteLine($"{name} = {manifest.Metric(name):F3}");
        }

        return 0;
    }

    /// <summary>
    /// Scores the package's ONNX model(s) with ONNX Runtime on the C-MAPSS test units at their last
    /// cycle, checks them against the manifest's metrics, and writes <c>report/evaluation.md</c>.
    /// </summary>
    public static RulEvaluation.Result EvaluatePackage(string package, Options o, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(stdout);
        var manifest = Packaging.PackageReader.ReadManifest(package);
        var (test, _) = Load(o, "cmapss_test.sql", manifest.Input.MinimumRows ?? manifest.Input.WindowLength);
        var results = new Dictionary<string, RulEvaluation.Result>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            using var scorer = new Onnx.OnnxScorer(Path.Combine(package, file.Path));
            results[file.Role] = ScoreLastCycles(manifest, scorer, test);
        }

        var fp32 = results["fp32"];
        RulReport.WriteEvaluation(Path.Combine(package, "report"), manifest, results);
        foreach (var m in fp32.Metrics.Where(m => m.Name.EndsWith(".rmse", StringComparison.Ordinal)))
        {
            var stated = manifest.Metric(m.Name);
            stdout.WriteLine($"onnx fp32 {m.Name} = {m.Value:F3} (manifest {stated:F3})");
            if (stated is { } v && Math.Abs(v - m.Value) > 0.05)
            {
                throw new LabException($"{package}: ONNX Runtime gives {m.Name} = {m.Value:F3}, the manifest states {v:F3}");
            }
        }

        return fp32;
    }

    private static RulEvaluation.Result ScoreLastCycles(Core.Models.ModelManifest manifest, Onnx.OnnxScorer scorer, Dataset test)
    {
        var table = test.Table;
        var w = manifest.Input.WindowLength;
        var c = manifest.Input.Channels.Count;
        var settingCols = manifest.Input.Settings.Select(table.Numbers).ToArray();
        var chCols = manifest.Input.Channels.Select(table.Numbers).ToArray();
        var truth = table.Numbers("true_rul");
        var subsets = table.HasColumn("subset") ? table.Texts("subset") : Enumerable.Repeat("all", table.RowCount).ToArray();
        var runs = test.GroupRuns().ToList();
        var batch = new float[runs.Count * w * c];
        var s = new double[settingCols.Length];
        var row = new double[c];
        for (var u = 0; u < runs.Count; u++)
        {
            var end = runs[u].Start + runs[u].Length - 1;
            for (var t = 0; t < w; t++)
            {
                var r = RulTrainer.WindowRow(runs[u].Start, end, w, t);
                for (var j = 0; j < s.Length; j++)
                {
                    s[j] = settingCols[j][r];
                }

                for (var ch = 0; ch < c; ch++)
                {
                    row[ch] = chCols[ch][r];
                }

                manifest.Scaler.Normalize(s, row, batch.AsSpan(((u * w) + t) * c, c));
            }
        }

        var y = scorer.Run(batch, runs.Count);
        var units = runs.Select((run, u) =>
        {
            var end = run.Start + run.Length - 1;
            return new RulEvaluation.UnitResult(run.Group, subsets[end], manifest.Scaler.Regime(settingCols.Select(col => col[end]).ToArray()), y[u], truth[end]);
        }).ToList();
        return new RulEvaluation.Result(units, RulEvaluation.Metrics(units, Cap(manifest)));
    }

    /// <summary>The target cap recorded in the manifest's training command.</summary>
    public static double Cap(Core.Models.ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var cmd = manifest.Training.Command;
        for (var i = 0; i + 1 < cmd.Count; i++)
        {
            if (cmd[i] == "--cap")
            {
                return double.Parse(cmd[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return new RulConfig().Cap;
    }
}
