using System.Globalization;
using System.Text;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Reports;

namespace EdgeGateway.ModelLab.Rul;

/// <summary>Training curves and the evaluation report of a RUL package.</summary>
public static class RulReport
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Loss curves (PNG per ensemble member) and a CSV of the per-epoch losses.</summary>
    public static void WriteTraining(string dir, RulModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(dir);
        var csv = new StringBuilder("member,epoch,train_mse,validation_mse\n");
        for (var m = 0; m < model.Trainings.Count; m++)
        {
            var t = model.Trainings[m];
            Plots.LossCurves(Path.Combine(dir, $"loss_member{m}.png"), t.History, t.BestEpoch, $"RUL member {m}: loss per epoch (targets scaled by 1/cap)");
            foreach (var e in t.History)
            {
                csv.Append(s_inv, $"{m},{e.Epoch},{e.TrainLoss:R},{e.ValidationLoss:R}\n");
            }
        }

        File.WriteAllText(Path.Combine(dir, "training_loss.csv"), csv.ToString());
    }

    /// <summary>Writes <c>evaluation.md</c> with the metrics table per ONNX file and predicted-vs-true plots.</summary>
    public static void WriteEvaluation(string dir, ModelManifest manifest, IReadOnlyDictionary<string, RulEvaluation.Result> results)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(dir);
        var md = new StringBuilder();
        md.Append("# RUL evaluation: C-MAPSS test units at their last cycle\n\n");
        md.Append("Scored with ONNX Runtime from the package files (`evaluate --package`). True RUL from `RUL_FD00x.txt`; ")
          .Append("`rmse` uses the true RUL as given, `rmse_capped_truth` caps it at the training cap as many papers do. ")
          .Append("PHM08 score: sum of exp(-d/13)-1 for early and exp(d/10)-1 for late predictions (d = predicted - true).\n\n");
        md.Append("Data: NASA C-MAPSS FD001 and FD003 (A. Saxena, K. Goebel, D. Simon, N. Eklund, \"Damage Propagation Modeling for Aircraft Engine Run-to-Failure Simulation\", PHM 2008).\n\n");
        md.Append("| model | group | units | RMSE | RMSE (capped truth) | PHM08 |\n|---|---|---:|---:|---:|---:|\n");
        foreach (var (role, r) in results.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var groups = r.Metrics.Select(m => m.Name[..m.Name.LastIndexOf('.')]).Distinct().ToList();
            foreach (var g in groups)
            {
                double Get(string n) => r.Metrics.First(m => m.Name == $"{g}.{n}").Value;
                md.Append(s_inv, $"| {role} | {g["test.".Length..]} | {Get("units"):F0} | {Get("rmse"):F2} | {Get("rmse_capped_truth"):F2} | {Get("phm08"):F1} |\n");
            }
        }

        md.Append("\nPublished FD001 RMSE for reference: CNN 18.45, LSTM 16.14, DCNN 12.61, best attention models about 11.0.\n\n");
        foreach (var (role, r) in results.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var g in r.Units.GroupBy(u => u.Subset).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var file = $"pred_vs_true_{role}_{g.Key}.png";
                Plots.PredictedVsTrue(Path.Combine(dir, file), g.Select(u => u.Actual).ToList(), g.Select(u => u.Predicted).ToList(), $"{g.Key} test units, {role} model", "cycles");
                md.Append(s_inv, $"![{g.Key} {role} predicted vs true]({file})\n\n");
            }
        }

        if (File.Exists(Path.Combine(dir, "training_loss.csv")))
        {
            md.Append("## Training\n\nLoss per epoch (mean squared error of RUL/cap) on training and held-out validation units; training stops when the validation loss has not improved for the patience and keeps the best epoch. Per-epoch figures: `training_loss.csv`.\n\n");
            foreach (var png in Directory.GetFiles(dir, "loss_member*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                md.Append(s_inv, $"![{png}]({png})\n\n");
            }
        }

        md.Append("## Per unit (fp32)\n\n| unit | predicted | true | error |\n|---|---:|---:|---:|\n");
        foreach (var u in results["fp32"].Units)
        {
            md.Append(s_inv, $"| {u.Unit} | {u.Predicted:F1} | {u.Actual:F0} | {u.Predicted - u.Actual:F1} |\n");
        }

        File.WriteAllText(Path.Combine(dir, "evaluation.md"), md.ToString());
    }
}
