using System.Globalization;
using System.Text;
using EdgeGateway.Core.Models;

namespace EdgeGateway.ModelLab.Reports;

/// <summary>Model cards (Markdown) written beside each package.</summary>
public static class ModelCards
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Writes <c>MODEL_CARD.md</c> for a RUL package.</summary>
    public static void WriteRul(string folder, ModelManifest manifest, Rul.RulModel model, Rul.RulEvaluation.Result onnxEval, double trainSeconds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(onnxEval);
        var c = model.Config;
        var md = new StringBuilder();
        md.Append("# Model card: rul-cmapss\n\n");
        md.Append("Remaining useful life (RUL, in flight cycles) of a turbofan from the last ")
          .Append(s_inv, $"{c.Window} cycles of its snapshot history (one row per flight cycle)")
          .Append(c.MinRows < c.Window
              ? string.Create(s_inv, $"; it estimates from {c.MinRows} cycles on, the window's start padded by repeating the oldest cycle.\n\n")
              : ".\n\n");
        md.Append("## Intended use\n\nRanking engines for inspection and planning shop visits from per-flight trend snapshots. ")
          .Append("Not a release-to-service decision: the output is capped at ").Append(s_inv, $"{c.Cap} cycles, so a prediction near the cap means \"healthy, no estimate\". ")
          .Append("The gateway reads the last cycles of the engine's history, keyed by engine serial number.\n\n");
        md.Append("## Data\n\n")
          .Append("- NASA C-MAPSS turbofan degradation simulation, subsets FD001 (HPC degradation) and FD003 (HPC and fan degradation), one operating condition each.\n")
          .Append("- Producer: NASA Ames Prognostics Center of Excellence. **Cite:** A. Saxena, K. Goebel, D. Simon, N. Eklund, \"Damage Propagation Modeling for Aircraft Engine Run-to-Failure Simulation\", PHM 2008.\n")
          .Append("- Licence: U.S. government public release; keep the citation with anything derived from it.\n")
          .Append(s_inv, $"- Training: train_FD001 + train_FD003, {manifest.Training.Rows} cycles of {manifest.Training.Groups} units, extracted by `queries/cmapss_train.sql` (DuckDB); training-data hash `{manifest.Training.DataHash}`.\n")
          .Append("- Test: test_FD001 / test_FD003 with RUL_FD001 / RUL_FD003 (`queries/cmapss_test.sql`), scored at each unit's last cycle.\n")
          .Append(s_inv, $"- Inputs ({manifest.Input.Channels.Count} sensors): {string.Join(", ", manifest.Input.Channels)}; the constant or near-constant sensors are left out. Operating settings {string.Join(", ", manifest.Input.Settings)} select the regime.\n\n");
        md.Append("## Method\n\n")
          .Append(s_inv, $"- Operating regimes: k-means on the standardised operating settings (seed {c.Seed}); the number of regimes is chosen by cluster separation (found: {model.Scaler.RegimeCount}). Each sensor is z-scored with its regime's mean and standard deviation, so fleets flying several conditions share one model.\n")
          .Append(s_inv, $"- Target: piecewise linear, min({c.Cap}, cycles to failure), scaled by 1/{c.Cap}.\n")
          .Append(c.MinRows < c.Window
              ? string.Create(s_inv, $"- Windows: one ending at every cycle from a unit's {c.MinRows}th on; where the {c.Window}-cycle window reaches before the unit's first cycle, that cycle is repeated (the gateway pads a short history the same way). Test units are scored at their last cycle, padded the same way when shorter than the window.\n")
              : string.Create(s_inv, $"- Windows: one ending at every cycle from a unit's {c.Window}th on.\n"))
          .Append(c.Basis
              ? $"- Features: each sensor's {c.Window}-cycle window is projected onto five fixed curves (mean, linear and quadratic trend, mean of the last 10 and last 5 cycles); the projection is part of the ONNX graph.\n"
              : "- Features: the raw window.\n")
          .Append(s_inv, $"- Network: ensemble of {c.Members} MLPs ({c.Hidden} ReLU hidden units), each with its own seed and its own {c.ValidationFraction:P0} of training units held out for early stopping (patience {c.Patience}, at most {c.MaxEpochs} epochs, Adam lr {c.LearningRate}, batch {c.BatchSize}); predictions are averaged.\n")
          .Append("- Trainer: the lab's own (System.Numerics.Tensors / fixed-order kernels, gradient-checked), deterministic: the same data and seed give the same bytes (`reproduce`).\n")
          .Append(s_inv, $"- Training time: {trainSeconds:F0} s on a 2-core machine (not recorded in the manifest, which holds no clock-dependent values).\n\n");
        md.Append("## Results (test units at the last cycle, ONNX Runtime fp32)\n\n| subset | units | RMSE | RMSE (capped truth) | PHM08 |\n|---|---:|---:|---:|---:|\n");
        foreach (var g in new[] { "FD001", "FD003" })
        {
            double Get(string n) => onnxEval.Metrics.FirstOrDefault(m => m.Name == $"test.subset.{g}.{n}")?.Value ?? double.NaN;
            md.Append(s_inv, $"| {g} | {Get("units"):F0} | {Get("rmse"):F2} | {Get("rmse_capped_truth"):F2} | {Get("phm08"):F1} |\n");
        }

        md.Append(s_inv, $"\nint8 variant (`{Rul.RulPackage.Int8File}`): FD001 RMSE {manifest.Metric("int8.test.subset.FD001.rmse"):F2}, FD003 RMSE {manifest.Metric("int8.test.subset.FD003.rmse"):F2}.\n");
        md.Append("Published FD001 RMSE for reference: CNN 18.45, LSTM 16.14, DCNN 12.61, attention models about 11.0. Details and plots: `report/evaluation.md`.\n\n");
        md.Append("## Limitations\n\n")
          .Append("- Trained on simulated engines (C-MAPSS), not on a real fleet; sensor scales and fault modes of real engines differ. Retrain on the fleet's own history before operational use.\n")
          .Append("- Both training subsets have a single operating condition: the per-regime normalisation is exercised by tests with several regimes but not validated on multi-condition C-MAPSS data here.\n")
          .Append("- Predictions are capped; errors are largest for engines with long remaining life (true RUL above the cap).\n")
          .Append("- Drift: the manifest carries per-sensor histograms of the training data; inputs far outside them make the output untrustworthy.\n\n");
        md.Append("## Package\n\n`manifest.json` (inputs, window, scaler, metrics, baselines, self-test vector, provenance), `")
          .Append(Rul.RulPackage.Fp32File).Append("`, `").Append(Rul.RulPackage.Int8File)
          .Append("`, `signature.json` (ECDSA P-256, written by `release` only when the gate in `release-gate.json` passes).\n\n")
          .Append("Reproduce: `dotnet run --project src/EdgeGateway.ModelLab -- reproduce --package models/rul`.\n");
        File.WriteAllText(Path.Combine(folder, "MODEL_CARD.md"), md.ToString());
    }

    /// <summary>Writes <c>MODEL_CARD.md</c> for an anomaly package.</summary>
    public static void WriteAnomaly(string folder, ModelManifest manifest, Anomaly.AnomalyModel model, double trainSeconds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(model);
        var c = model.Config;
        var md = new StringBuilder();
        md.Append(s_inv, $"# Model card: {manifest.Name}\n\n{manifest.Description}\n\n");
        md.Append("## Intended use\n\nFlag windows of conditioned engine channels that do not look like normal operation, so ground crew get an alert with the evidence (score, window, channels). ")
          .Append("Red-line exceedances are checked separately by the gateway; this model does not replace them.\n\n");
        md.Append("## Data\n\n")
          .Append(s_inv, $"- Sources: {string.Join(", ", manifest.Training.Sources.Select(s => $"`{s.Path}`"))}; training-data hash `{manifest.Training.DataHash}`.\n")
          .Append(s_inv, $"- Provenance: {(string.IsNullOrWhiteSpace(manifest.Training.Provenance) ? "(not recorded)" : manifest.Training.Provenance)}\n")
          .Append(s_inv, $"- Licence: {(string.IsNullOrWhiteSpace(manifest.Training.Licence) ? "(not recorded)" : manifest.Training.Licence)}\n")
          .Append(s_inv, $"- Channels ({manifest.Input.Channels.Count}): {string.Join(", ", manifest.Input.Channels)}; window {c.Window} rows at {c.SampleRate} Hz.\n")
          .Append(s_inv, $"- Trained on normal rows only ({manifest.Training.Rows} rows); {(c.TrainRows > 0 ? $"first {c.TrainRows} rows for training and validation, the rest held out" : "normal groups split 60/20/20 into train/validation/test, faulty groups split between validation and test")} (seed {c.Seed}).\n\n");
        md.Append("## Method\n\n")
          .Append("- Scaler: z-score per channel fitted on normal training rows (per operating regime when settings are given).\n")
          .Append(model.Detector.Features is { } f
              ? string.Create(s_inv, $"- Features (inside the ONNX graph, so the input stays the scaled [{c.Window} x {manifest.Input.Channels.Count}] window of one engine): each channel's residual against a ridge regression on cubic terms of N1 and N2{(string.IsNullOrEmpty(c.ResidualInputs) ? string.Empty : $" plus {c.ResidualInputs.Replace(",", ", ", StringComparison.Ordinal)} (target:predictor)")}, fitted on normal training rows; per channel the residual's window mean, its slope (a fixed time kernel), its roughness (smallest RMS first difference of {Anomaly.WindowFeatures.RoughBlocks} blocks of {Anomaly.WindowFeatures.RoughBlock} rows at the window's end) and the log of the channel's range; {f.Dimension} features standardised on normal training windows.\n")
              : "- Input: the scaled window itself.\n")
          .Append(model.Detector.Splits.Count > 0
              ? string.Create(s_inv, $"- Companion inputs ({string.Join(", ", manifest.Input.Channels.Where(Anomaly.EngineSplit.IsCompanion))}): the aircraft's other engine at the same second; no features and no drift baseline of their own. The score is the largest of the detector's and each engine-to-engine split term, in raw units times threshold / limit:\n{string.Concat(model.Detector.Splits.Select(sp => $"  - `--engine-split {sp.Spec}`: {sp.Describe(manifest.Input.Channels, c.SplitMargin)}.\n"))}")
              : string.Empty)
          .Append(s_inv, $"- Families compared on the same split: PCA with Hotelling T-squared and Q (variance kept {c.VarianceKept:P0}), an autoencoder ({c.AeHidden}, ReLU, the lab's own trainer, early stopping on validation loss){(model.Detector.Features is null ? string.Empty : " and the largest feature over its 99th percentile")}. Shipped: **{model.Detector.Family}** (higher validation row F1).\n")
          .Append(s_inv, $"- Threshold {manifest.Decision!.Threshold:G5}: {manifest.Decision.ThresholdMethod}.\n")
          .Append(s_inv, $"- Debounce (part of the package, `EdgeGateway.Core.Models.EpisodeDebouncer`): an episode opens after {c.RaiseAfter} consecutive windows above the threshold and closes after {c.ClearAfter} below.\n")
          .Append("- int8: weight matrices stored as int8 with one scale per output channel (QDQ), fp32 kept for comparison.\n")
          .Append(s_inv, $"- Training time: {trainSeconds:F0} s on a 2-core machine.\n\n");
        md.Append("## Results\n\n| metric | value |\n|---|---:|\n");
        foreach (var m in manifest.Metrics)
        {
            md.Append(s_inv, $"| {m.Name} | {m.Value:G5} |\n");
        }

        md.Append("\nReports: `report/training.md`, `report/evaluation.md`.\n\n");
        md.Append("## Limitations\n\n- Only faults like those in the labelled validation data were measured; an unseen fault kind may score low.\n- Inputs outside the training histograms (manifest baselines) make scores unreliable; the gateway reports drift.\n");
        foreach (var m in manifest.Metrics.Where(m => m.Name.StartsWith("test.event.kind.", StringComparison.Ordinal) && m.Name.EndsWith(".detection_rate", StringComparison.Ordinal) && m.Value < 0.95))
        {
            var kind = m.Name["test.event.kind.".Length..^".detection_rate".Length];
            var count = manifest.Metric($"test.event.kind.{kind}.count");
            var withDataQuality = manifest.Metric($"test.event.kind.{kind}.detection_rate_with_data_quality");
            md.Append(s_inv, $"- {kind}: detected in {m.Value * count:F0} of {count:F0} held-out events (below the 95 % target){(withDataQuality > m.Value ? $"; {withDataQuality * count:F0} of {count:F0} with the gateway's dead-sensor rule (data-quality alert)" : string.Empty)}.\n");
        }

        File.WriteAllText(Path.Combine(folder, "MODEL_CARD.md"), md.ToString());
    }
}
