using System.Diagnostics;
using System.Globalization;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Cli;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary><c>train anomaly</c> and the anomaly half of <c>evaluate</c>.</summary>
public static class AnomalyCommand
{
    /// <summary>fp32 model file name.</summary>
    public const string Fp32File = "anomaly.onnx";

    /// <summary>int8 model file name.</summary>
    public const string Int8File = "anomaly.int8.onnx";

    /// <summary>Runs <c>train anomaly</c>.</summary>
    public static int Train(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        var source = DataSource.FromArgs(args);
        var d = new AnomalyConfig();
        var config = new AnomalyConfig(
            args.GetInt("window", d.Window),
            args.GetInt("train-stride", d.TrainStride),
            args.Get("family", d.Family)!,
            args.GetDouble("variance", d.VarianceKept),
            args.Get("ae-hidden", d.AeHidden)!,
            args.GetInt("epochs", d.MaxEpochs),
            args.GetInt("batch", d.BatchSize),
            (float)args.GetDouble("lr", d.LearningRate),
            args.GetInt("patience", d.Patience),
            (ulong)args.GetInt("seed", (int)d.Seed),
            args.GetDouble("target-far", d.TargetFalseAlertRate),
            args.GetDouble("normal-quantile", d.NormalQuantile),
            args.GetInt("raise-after", d.RaiseAfter),
            args.GetInt("clear-after", d.ClearAfter),
            args.GetInt("train-rows", d.TrainRows),
            args.GetDouble("rate", d.SampleRate),
            args.Get("features", d.Features)!,
            args.Get("residual-inputs", d.ResidualInputs)!,
            args.GetInt("stride", d.Stride),
            args.Get("engine-split", d.EngineSplit)!,
            args.GetDouble("split-margin", d.SplitMargin));
        var settings = args.GetList("settings");
        var kind = args.Get("kind-column");
        var slices = args.GetList("slice-columns");
        var name = args.Get("name", "anomaly")!;
        var provenance = args.Get("provenance", string.Empty)!;
        var licence = args.Get("licence", string.Empty)!;
        var outDir = args.Get("out", Path.Combine(RepoPaths.Root(), "models", "anomaly"))!;
        args.EnsureAllUsed();

        var sw = Stopwatch.StartNew();
        var (table, roles) = source.Load();
        var ds = Dataset.Create(table, roles, config.Window);
        var model = AnomalyTrainer.Train(ds, settings, config, stdout);
        var trainSeconds = sw.Elapsed.TotalSeconds;
        stdout.WriteLine($"training time {trainSeconds:F1} s");

        var split = AnomalyTrainer.SplitRows(ds, config);
        var norm = Rul.RulTrainer.NormalizeRows(ds, table, settings, model.Scaler);
        var scores = AnomalyTrainer.ScoreRows(ds, norm, model.Detector, config.Window, _ => true, config.Stride, new StandInWindows(ds, norm, settings, model.Scaler));
        var metrics = new List<Metric>(model.Comparison);
        AnomalyEvaluation.Result? testEval = null;
        bool IsTest(int r) => split[r] == RowRole.Test;
        if (ds.Labels is not null)
        {
            testEval = AnomalyEvaluation.Evaluate(ds, scores, model.Decision, config.Window, IsTest, kind, sliceColumns: slices);
            metrics.AddRange(testEval.Metrics.Select(m => new Metric("test." + m.Name, m.Value)));
        }

        var c = model.Channels.Count;
        var w = config.Window;
        var fp32 = model.Detector.Export(w, c, quantize: false);
        var int8 = model.Detector.Export(w, c, quantize: true);
        var selfEnd = AnomalyTrainer.WindowEnds(ds, split, RowRole.Validation, w, 1, normalOnly: true)[0];
        var selfInput = norm.AsSpan((selfEnd - w + 1) * c, w * c).ToArray();
        var selfScore = model.Detector.Score(selfInput);
        var selfTest = new SelfTestVector(selfInput, [(float)selfScore], Math.Max(1e-3, Math.Abs(selfScore) * 1e-3));

        var trainRows = Enumerable.Range(0, ds.RowCount).Where(r => split[r] == RowRole.Train && !ds.Gap[r] && (ds.Labels is null || ds.Labels[r] == 0)).ToArray();
        // Companion inputs (P@other) get no drift baseline: the other engine's own package input covers it.
        var own = Enumerable.Range(0, model.Channels.Count).Where(i => !EngineSplit.IsCompanion(model.Channels[i])).ToArray();
        var baselines = PackageBuilder.Baselines([.. own.Select(i => model.Channels[i])], own.Select(i => trainRows.Select(r => ds.Channels[i][r]).ToArray()).ToArray(), [.. trainRows.Select(r => ds.Groups[r])]);
        var sources = new List<SourceFile>();
        if (source.CsvPath is { } csv)
        {
            sources.Add(PackageBuilder.Source(RepoPaths.Relative(csv), csv));
        }
        else
        {
            sources.Add(PackageBuilder.Source(RepoPaths.Relative(source.SqlPath!), source.SqlPath!));
            foreach (var (k, v) in source.Settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (File.Exists(v))
                {
                    sources.Add(PackageBuilder.Source(RepoPaths.Relative(v), v));
                }
            }
        }

        var command = Command(source, config, settings, kind, slices, name, provenance, licence);
        var featureNote = model.Detector.Features is null ? string.Empty : " Computed on window features inside the graph: per-channel residuals against the operating point (N1, N2), their mean, slope and roughness, and each channel's range.";
        var description = model.Detector.Family switch
        {
            "pca" => "Anomaly score of a window of conditioned channels: max(T2/T2_99, Q/Q_99) of a PCA fitted on normal windows (1.0 = 99th percentile of normal).",
            "max" => "Anomaly score of a window of conditioned channels: the largest standardised feature over its 99th percentile on normal windows.",
            _ => "Anomaly score of a window of conditioned channels: mean squared reconstruction error of an autoencoder trained on normal windows.",
        } + featureNote + model.Detector.Splits switch
        {
            [] => string.Empty,
            [var one] => $" The score is the larger of that and the engine-to-engine split term: {one.Describe(model.Channels, model.Config.SplitMargin)}.",
            var many => $" The score is the largest of that and {many.Count} engine-to-engine split terms: {string.Join("; and ", many.Select(sp => sp.Describe(model.Channels, model.Config.SplitMargin)))}.",
        };
        var manifest = new ModelManifest(
            ModelManifest.CurrentFormat,
            name,
            "anomaly",
            description,
            [],
            new InputSpec(model.Channels, settings, w, config.SampleRate, "hertz", AnomalyExporter.InputName),
            model.Scaler,
            new OutputSpec(AnomalyExporter.OutputName, $"anomaly score ({model.Detector.Family})", "score"),
            model.Decision,
            new TrainingSpec(ds.ContentHash(), sources, trainRows.Length, ds.GroupRuns().Count(), provenance, licence, config.Seed, CodeVersion.Current(RepoPaths.Root()), command, table.ColumnNames),
            [],
            baselines,
            selfTest);

        // Write once to score the ONNX files with ONNX Runtime, then again with the int8 checks in the metrics.
        manifest = PackageBuilder.Write(outDir, manifest with { Metrics = Sorted(metrics) }, [("fp32", Fp32File, fp32), ("int8", Int8File, int8)]);
        var int8Checks = Int8Checks(outDir, manifest, ds, IsTest, kind);
        metrics.AddRange(int8Checks);
        manifest = PackageBuilder.Write(outDir, manifest with { Metrics = Sorted(metrics) }, [("fp32", Fp32File, fp32), ("int8", Int8File, int8)]);
        stdout.WriteLine($"package written to {outDir} ({string.Join(", ", manifest.Files.Select(f => $"{f.Path} {f.Bytes} B"))})");
        foreach (var m in manifest.Metrics.Where(m => m.Name.StartsWith("test.", StringComparison.Ordinal) || m.Name.StartsWith("int8.", StringComparison.Ordinal) || m.Name.StartsWith("validation.", StringComparison.Ordinal)))
        {
            stdout.WriteLine($"{m.Name} = {m.Value:G6}");
        }

        var reportDir = Path.Combine(outDir, "report");
        AnomalyReport.WriteTraining(reportDir, model);
        if (testEval is not null)
        {
            AnomalyReport.WriteEvaluation(reportDir, manifest, ds, scores, testEval, IsTest, "held-out test split of the training data (C# forward pass)");
        }

        Reports.ModelCards.WriteAnomaly(outDir, manifest, model, trainSeconds);
        return 0;
    }

    /// <summary>int8 against fp32 on the test rows, both through ONNX Runtime: size ratio, F1 difference, Spearman rank correlation.</summary>
    public static IReadOnlyList<Metric> Int8Checks(string package, ModelManifest manifest, Dataset ds, Func<int, bool> include, string? kind)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(include);
        var f = PackageScorer.ScoreRows(package, manifest, ds, "fp32");
        var q = PackageScorer.ScoreRows(package, manifest, ds, "int8");
        var rows = Enumerable.Range(0, ds.RowCount).Where(r => include(r) && !double.IsNaN(f[r])).ToArray();
        var spearman = MathNet.Numerics.Statistics.Correlation.Spearman(rows.Select(r => f[r]), rows.Select(r => q[r]));
        var fp32File = manifest.Files.First(x => x.Role == "fp32");
        var int8File = manifest.Files.First(x => x.Role == "int8");
        var size = int8File.Bytes / (double)fp32File.Bytes;
        var weights = QuantisedWeightRatio(
            Onnx.OnnxGraphBuilder.Parse(File.ReadAllBytes(Path.Combine(package, fp32File.Path)), fp32File.Path),
            Onnx.OnnxGraphBuilder.Parse(File.ReadAllBytes(Path.Combine(package, int8File.Path)), int8File.Path));
        var metrics = new List<Metric>
        {
            new("int8.size_ratio", Math.Round(size, 6)),
            new("int8.weight_ratio", Math.Round(weights, 6)),
            new("int8.spearman", Math.Round(spearman, 6)),
        };
        if (ds.Labels is not null && rows.Any(r => ds.Labels[r] == 1))
        {
            var ef = AnomalyEvaluation.Evaluate(ds, f, manifest.Decision!, manifest.Input.WindowLength, include, kind);
            var eq = AnomalyEvaluation.Evaluate(ds, q, manifest.Decision!, manifest.Input.WindowLength, include, kind);
            metrics.Add(new("int8.row_f1", Math.Round(eq.Metric("row.f1"), 6)));
            metrics.Add(new("int8.row_f1_delta", Math.Round(Math.Abs(eq.Metric("row.f1") - ef.Metric("row.f1")), 6)));
            metrics.Add(new("int8.event_detection_rate", Math.Round(eq.Metric("event.detection_rate"), 6)));
        }

        return metrics;
    }

    /// <summary>
    /// Payload bytes of the tensors quantisation put into the int8 graph (its initializers the fp32
    /// graph lacks: int8 values, per-column scales, zero points) over those of the fp32 tensors they
    /// replace (the fp32 graph's initializers the int8 graph lacks). 0.25 plus the scales' share: what
    /// int8 saves on the weights themselves, apart from the graph structure and the float constants
    /// both files share.
    /// </summary>
    public static double QuantisedWeightRatio(global::Onnx.ModelProto fp32, global::Onnx.ModelProto quantised)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(quantised);
        var inFp32 = fp32.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inInt8 = quantised.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        long replaced = fp32.Graph.Initializer.Where(t => !inInt8.Contains(t.Name)).Sum(PayloadBytes);
        long added = quantised.Graph.Initializer.Where(t => !inFp32.Contains(t.Name)).Sum(PayloadBytes);
        return replaced > 0 ? added / (double)replaced : double.NaN;
    }

    // Elements times element size, from the dimensions and the data type (ONNX TensorProto.DataType).
    private static long PayloadBytes(global::Onnx.TensorProto t) =>
        t.Dims.Aggregate(1L, (a, d) => a * d) * t.DataType switch
        {
            2 or 3 or 9 => 1, // uint8, int8, bool
            4 or 5 or 10 or 16 => 2, // uint16, int16, float16, bfloat16
            1 or 6 or 12 => 4, // float, int32, uint32
            7 or 11 or 13 => 8, // int64, double, uint64
            _ => throw new LabException($"initializer '{t.Name}': data type {t.DataType} has no size here"),
        };

    /// <summary><c>evaluate</c> for an anomaly package on labelled data: both ONNX files through ONNX Runtime, report with PR curve.</summary>
    public static int Evaluate(string package, ModelManifest manifest, DataSource source, string? kind, string outDir, TextWriter stdout, string? flightColumn = null, IReadOnlyList<string>? sliceColumns = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(stdout);
        var ds = PackageScorer.LoadFor(manifest, source);
        var scores = PackageScorer.ScoreRows(package, manifest, ds, "fp32");
        var eval = AnomalyEvaluation.Evaluate(ds, scores, manifest.Decision!, manifest.Input.WindowLength, _ => true, kind, flightColumn, peaks => PackageScorer.ScoreAlone(package, manifest, ds, peaks), sliceColumns);
        foreach (var m in eval.Metrics)
        {
            stdout.WriteLine($"fp32 {m.Name} = {m.Value:G6}");
        }

        var checks = Int8Checks(package, manifest, ds, _ => true, kind);
        foreach (var m in checks)
        {
            stdout.WriteLine($"{m.Name} = {m.Value:G6}");
        }

        AnomalyReport.WriteEvaluation(outDir, manifest with { Metrics = [.. manifest.Metrics.Where(m => !m.Name.StartsWith("int8.", StringComparison.Ordinal)), .. checks] }, ds, scores, eval, _ => true, $"{ds.Table.Source} scored with ONNX Runtime");
        stdout.WriteLine($"report: {Path.Combine(outDir, "evaluation.md")}");
        return 0;
    }

    private static List<Metric> Sorted(IEnumerable<Metric> metrics) =>
        metrics.GroupBy(m => m.Name).Select(g => g.Last()).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

    private static List<string> Command(DataSource s, AnomalyConfig c, IReadOnlyList<string> settings, string? kind, IReadOnlyList<string> slices, string name, string provenance, string licence)
    {
        var inv = CultureInfo.InvariantCulture;
        var cmd = new List<string> { "train", "anomaly" };
        if (s.CsvPath is not null)
        {
            cmd.AddRange(["--csv", RepoPaths.Relative(s.CsvPath), "--sep", s.Separator is { } sep ? (sep == '\t' ? "tab" : sep.ToString()) : "ws"]);
        }
        else
        {
            cmd.AddRange(["--sql", RepoPaths.Relative(s.SqlPath!)]);
            foreach (var (k, v) in s.Settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                cmd.AddRange(["--set", $"{k}={(File.Exists(v) || Directory.Exists(v) ? RepoPaths.Relative(v) : v)}"]);
            }
        }

        void Opt(string n, string? v)
        {
            if (!string.IsNullOrEmpty(v))
            {
                cmd.AddRange(["--" + n, v]);
            }
        }

        Opt("time", s.Time);
        Opt("channels", string.Join(",", s.Channels));
        Opt("label", s.Label);
        Opt("group", s.Group);
        Opt("settings", string.Join(",", settings));
        Opt("kind-column", kind);
        Opt("slice-columns", string.Join(",", slices));
        Opt("name", name);
        Opt("provenance", provenance);
        Opt("licence", licence);
        Opt("window", c.Window.ToString(inv));
        Opt("train-stride", c.TrainStride.ToString(inv));
        Opt("family", c.Family);
        Opt("variance", c.VarianceKept.ToString("R", inv));
        Opt("ae-hidden", c.AeHidden);
        Opt("epochs", c.MaxEpochs.ToString(inv));
        Opt("batch", c.BatchSize.ToString(inv));
        Opt("lr", c.LearningRate.ToString("R", inv));
        Opt("patience", c.Patience.ToString(inv));
        Opt("seed", c.Seed.ToString(inv));
        Opt("target-far", c.TargetFalseAlertRate.ToString("R", inv));
        Opt("normal-quantile", c.NormalQuantile.ToString("R", inv));
        Opt("raise-after", c.RaiseAfter.ToString(inv));
        Opt("clear-after", c.ClearAfter.ToString(inv));
        Opt("train-rows", c.TrainRows.ToString(inv));
        Opt("rate", c.SampleRate.ToString("R", inv));
        Opt("features", c.Features);
        Opt("residual-inputs", c.ResidualInputs);
        if (c.Stride != 1)
        {
            Opt("stride", c.Stride.ToString(inv));
        }

        if (!string.IsNullOrEmpty(c.EngineSplit))
        {
            Opt("engine-split", c.EngineSplit);
            Opt("split-margin", c.SplitMargin.ToString("R", inv));
        }

        return cmd;
    }
}
