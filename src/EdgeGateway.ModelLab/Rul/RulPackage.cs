using System.Globalization;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Packaging;

namespace EdgeGateway.ModelLab.Rul;

/// <summary>ONNX graph and manifest of a RUL model.</summary>
public static class RulPackage
{
    /// <summary>Input tensor name.</summary>
    public const string InputName = "window";

    /// <summary>Output tensor name.</summary>
    public const string OutputName = "rul";

    /// <summary>fp32 model file name.</summary>
    public const string Fp32File = "rul.onnx";

    /// <summary>int8 model file name.</summary>
    public const string Int8File = "rul.int8.onnx";

    /// <summary>Provenance text of C-MAPSS.</summary>
    public const string CmapssProvenance = "NASA Ames Prognostics Center of Excellence, C-MAPSS turbofan run-to-failure simulation (FD001, FD003). Cite: A. Saxena, K. Goebel, D. Simon, N. Eklund, \"Damage Propagation Modeling for Aircraft Engine Run-to-Failure Simulation\", PHM 2008.";

    /// <summary>Licence text of C-MAPSS.</summary>
    public const string CmapssLicence = "U.S. government public release; keep the citation with anything derived from it.";

    /// <summary>
    /// The ensemble as ONNX: <c>[N, W, C]</c> window, per-channel projection onto the temporal basis
    /// (Transpose + MatMul), each member network, mean of members times the cap.
    /// </summary>
    public static byte[] Export(RulModel model, bool quantize)
    {
        ArgumentNullException.ThrowIfNull(model);
        var w = model.Config.Window;
        var c = model.Channels.Count;
        var b = new OnnxGraphBuilder("rul");
        b.AddInput(InputName, null, w, c);
        string features;
        if (model.Config.Basis)
        {
            var t = b.Node("Transpose", [InputName], "channels_by_time", OnnxGraphBuilder.IntsAttr("perm", 0, 2, 1));
            var basis = b.AddFloat("basis", TemporalBasis.Create(w), w, TemporalBasis.K);
            var proj = b.Node("MatMul", [t, basis], "projected");
            features = b.Node("Reshape", [proj, b.AddInt64("feature_shape", [0L, (long)c * TemporalBasis.K], 2)], "features");
        }
        else
        {
            features = b.Node("Reshape", [InputName, b.AddInt64("feature_shape", [0L, (long)w * c], 2)], "features");
        }

        var outs = new List<string>();
        for (var m = 0; m < model.Nets.Count; m++)
        {
            outs.Add(MlpExporter.AppendLayers(b, model.Nets[m], features, $"m{m}_", quantize));
        }

        var sum = outs.Count == 1 ? outs[0] : b.Node("Sum", [.. outs], "member_sum");
        b.Node("Mul", [sum, b.AddFloat("scale", [(float)(model.Config.Cap / model.Nets.Count)])], OutputName);
        b.AddOutput(OutputName, null, 1);
        return OnnxGraphBuilder.Serialize(b.Build("Remaining useful life (cycles) from the last cycles of an engine's history; C-MAPSS-trained MLP ensemble."));
    }

    /// <summary>The training command that reproduces <paramref name="config"/> (every setting explicit).</summary>
    public static IReadOnlyList<string> Command(RulConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var inv = CultureInfo.InvariantCulture;
        return
        [
            "train", "rul",
            "--window", config.Window.ToString(inv),
            "--cap", config.Cap.ToString("R", inv),
            "--hidden", config.Hidden,
            "--epochs", config.MaxEpochs.ToString(inv),
            "--batch", config.BatchSize.ToString(inv),
            "--lr", config.LearningRate.ToString("R", inv),
            "--patience", config.Patience.ToString(inv),
            "--seed", config.Seed.ToString(inv),
            "--val-fraction", config.ValidationFraction.ToString("R", inv),
            "--regimes", config.Regimes.ToString(inv),
            "--weight-decay", config.WeightDecay.ToString("R", inv),
            "--features", config.Basis ? "basis" : "raw",
            "--members", config.Members.ToString(inv),
            "--min-history", config.MinRows.ToString(inv),
        ];
    }

    /// <summary>Builds the manifest (files are filled in by <see cref="PackageBuilder.Write"/>).</summary>
    public static ModelManifest Manifest(RulModel model, Dataset train, IReadOnlyList<SourceFile> sources, IReadOnlyList<Metric> metrics, SelfTestVector selfTest, string codeVersion)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        return new ModelManifest(
            ModelManifest.CurrentFormat,
            "rul-cmapss",
            "rul",
            "Remaining useful life in flight cycles from the last cycles of an engine's snapshot history (capped at the training cap).",
            [],
            new InputSpec(model.Channels, model.Settings, model.Config.Window, 1, "per-cycle", InputName, model.Config.MinRows < model.Config.Window ? model.Config.MinRows : null),
            model.Scaler,
            new OutputSpec(OutputName, "remaining useful life", "cycles"),
            null,
            new TrainingSpec(train.ContentHash(), sources, train.RowCount, train.GroupRuns().Count(), CmapssProvenance, CmapssLicence, model.Config.Seed, codeVersion, Command(model.Config), train.Table.ColumnNames),
            metrics,
            PackageBuilder.Baselines(model.Channels, train.Channels),
            selfTest);
    }
}
