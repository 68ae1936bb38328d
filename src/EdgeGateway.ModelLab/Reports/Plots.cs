using ScottPlot;

namespace EdgeGateway.ModelLab.Reports;

/// <summary>PNG plots (ScottPlot) used by the reports.</summary>
public static class Plots
{
    private const int Width = 900;
    private const int Height = 500;

    /// <summary>Training and validation loss per epoch, best epoch marked.</summary>
    public static void LossCurves(string path, IReadOnlyList<Training.EpochLog> history, int bestEpoch, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        var plt = new Plot();
        var x = history.Select(h => (double)h.Epoch).ToArray();
        plt.Add.Scatter(x, history.Select(h => h.TrainLoss).ToArray()).LegendText = "training";
        plt.Add.Scatter(x, history.Select(h => h.ValidationLoss).ToArray()).LegendText = "validation";
        var v = plt.Add.VerticalLine(bestEpoch);
        v.LegendText = $"best epoch {bestEpoch}";
        v.LinePattern = LinePattern.Dashed;
        plt.Title(title);
        plt.XLabel("epoch");
        plt.YLabel("loss (mean squared error)");
        plt.ShowLegend();
        plt.SavePng(path, Width, Height);
    }

    /// <summary>Scatter of predicted against true values with the identity line.</summary>
    public static void PredictedVsTrue(string path, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, string title, string unit)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        var plt = new Plot();
        var s = plt.Add.ScatterPoints(actual.ToArray(), predicted.ToArray());
        s.LegendText = "test units (last cycle)";
        var max = Math.Max(actual.Max(), predicted.Max());
        var line = plt.Add.Line(0, 0, max, max);
        line.LegendText = "predicted = true";
        line.LinePattern = LinePattern.Dashed;
        plt.Title(title);
        plt.XLabel($"true ({unit})");
        plt.YLabel($"predicted ({unit})");
        plt.ShowLegend();
        plt.SavePng(path, Width, Height);
    }

    /// <summary>Line plot of several named series over a shared x axis.</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, double[] x, params (string Name, double[] Y)[] series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plt = new Plot();
        foreach (var (name, y) in series)
        {
            var sc = plt.Add.Scatter(x, y);
            sc.LegendText = name;
            sc.MarkerSize = 0;
        }

        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel(yLabel);
        if (series.Length > 1)
        {
            plt.ShowLegend();
        }

        plt.SavePng(path, Width, Height);
    }

    /// <summary>Histogram as bars.</summary>
    public static void Histogram(string path, string title, IReadOnlyList<double> edges, IReadOnlyList<double> counts)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(counts);
        var plt = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < counts.Count; i++)
        {
            bars.Add(new Bar { Position = (edges[i] + edges[i + 1]) / 2, Value = counts[i], Size = (edges[i + 1] - edges[i]) * 0.9 });
        }

        plt.Add.Bars(bars);
        plt.Title(title);
        plt.SavePng(path, Width, Height);
    }

    /// <summary>Heat map of a square matrix (correlations) with labels.</summary>
    public static void Heatmap(string path, string title, double[,] values, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var plt = new Plot();
        var hm = plt.Add.Heatmap(values);
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        plt.Add.ColorBar(hm);
        var ticks = labels.Select((l, i) => new Tick(i, l)).ToArray();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        var yTicks = labels.Select((l, i) => new Tick(labels.Count - 1 - i, l)).ToArray();
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(yTicks);
        plt.Title(title);
        plt.SavePng(path, Width, Width);
    }
}
