using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Rul;

/// <summary>Last-cycle evaluation of a RUL model on labelled test trajectories (column <c>true_rul</c>).</summary>
public static class RulEvaluation
{
    /// <summary>One test unit's prediction.</summary>
    /// <param name="Unit">Unit key.</param>
    /// <param name="Subset">Subset (FD001, FD003) or "all".</param>
    /// <param name="Regime">Operating regime of the last cycle.</param>
    /// <param name="Predicted">Predicted RUL (cycles).</param>
    /// <param name="Actual">True RUL (cycles).</param>
    public sealed record UnitResult(string Unit, string Subset, int Regime, double Predicted, double Actual);

    /// <summary>Evaluation output.</summary>
    /// <param name="Units">Per-unit results.</param>
    /// <param name="Metrics">RMSE and PHM08 overall, per subset and per regime, ordered by name.</param>
    public sealed record Result(IReadOnlyList<UnitResult> Units, IReadOnlyList<Metric> Metrics);

    /// <summary>Predicts each unit's last cycle and scores it.</summary>
    public static Result Evaluate(RulModel model, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        var table = test.Table;
        var truth = table.Numbers("true_rul");
        var subsets = table.HasColumn("subset") ? table.Texts("subset") : Enumerable.Repeat("all", table.RowCount).ToArray();
        var settingCols = model.Settings.Select(table.Numbers).ToArray();
        var units = new List<UnitResult>();
        foreach (var (unit, row, predicted) in model.PredictLastCycle(test, table))
        {
            var s = settingCols.Select(c => c[row]).ToArray();
            units.Add(new UnitResult(unit, subsets[row], model.Scaler.Regime(s), predicted, truth[row]));
        }

        return new Result(units, Metrics(units, model.Config.Cap));
    }

    /// <summary>Metrics over per-unit results: overall, per subset, per regime; true RUL as given and capped.</summary>
    public static IReadOnlyList<Metric> Metrics(IReadOnlyList<UnitResult> units, double cap)
    {
        ArgumentNullException.ThrowIfNull(units);
        var metrics = new List<Metric>();
        void Add(string prefix, IReadOnlyList<UnitResult> us)
        {
            var p = us.Select(u => u.Predicted).ToArray();
            var a = us.Select(u => u.Actual).ToArray();
            var ac = a.Select(x => Math.Min(x, cap)).ToArray();
            metrics.Add(new Metric($"{prefix}.rmse", RulMetrics.Rmse(p, a)));
            metrics.Add(new Metric($"{prefix}.phm08", RulMetrics.Phm08(p, a)));
            metrics.Add(new Metric($"{prefix}.rmse_capped_truth", RulMetrics.Rmse(p, ac)));
            metrics.Add(new Metric($"{prefix}.units", us.Count));
        }

        Add("test.all", units);
        foreach (var g in units.GroupBy(u => u.Subset).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Add($"test.subset.{g.Key}", g.ToList());
        }

        foreach (var g in units.GroupBy(u => u.Regime).OrderBy(g => g.Key))
        {
            Add($"test.regime.{g.Key}", g.ToList());
        }

        return metrics.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
    }
}
