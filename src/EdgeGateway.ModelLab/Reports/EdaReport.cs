using System.Globalization;
using System.Text;
using EdgeGateway.Core.Conditioning;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Reports;

/// <summary>
/// Exploratory report: per-channel statistics, missing values and time gaps, Hampel spikes,
/// correlations, class balance and imbalance ratio, with PNG plots, in <c>eda.md</c>.
/// Missing cells are counted here, not rejected.
/// </summary>
public static class EdaReport
{
    private const int HampelWindow = 11;
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the report into <paramref name="dir"/>; returns the Markdown path.</summary>
    public static string Write(LabTable table, ColumnRoles roles, string dir)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(roles);
        Directory.CreateDirectory(dir);
        var md = new StringBuilder($"# Exploratory data analysis: {table.Source}\n\n");
        md.Append(s_inv, $"{table.RowCount} rows, {table.ColumnNames.Count} columns; channels: {string.Join(", ", roles.Channels)}; time: {roles.Time ?? "-"}; group: {roles.Group ?? "-"}; label: {roles.Label ?? "-"}.\n\n");
        var groups = roles.Group is { } g ? table.Texts(g) : Enumerable.Repeat("all", table.RowCount).ToArray();
        var runs = Runs(groups);
        md.Append(s_inv, $"Groups: {runs.Count}.\n\n## Channels\n\n| channel | missing | mean | std | min | median | max | Hampel spikes |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        var channels = roles.Channels.Select(table.Numbers).ToArray();
        for (var c = 0; c < channels.Length; c++)
        {
            var v = channels[c];
            var ok = v.Where(double.IsFinite).ToArray();
            Array.Sort(ok);
            var missing = v.Length - ok.Length;
            var mean = ok.Length > 0 ? ok.Average() : double.NaN;
            var std = ok.Length > 0 ? Math.Sqrt(ok.Sum(x => (x - mean) * (x - mean)) / ok.Length) : double.NaN;
            var spikes = 0;
            foreach (var (start, length) in runs)
            {
                var seg = v.AsSpan(start, length).ToArray().Select(x => (float)x).ToArray();
                if (seg.Length >= HampelWindow)
                {
                    spikes += Hampel.Apply(seg, new float[seg.Length], HampelWindow);
                }
            }

            md.Append(s_inv, $"| {roles.Channels[c]} | {missing} | {mean:G6} | {std:G4} | {(ok.Length > 0 ? ok[0] : double.NaN):G6} | {(ok.Length > 0 ? ok[ok.Length / 2] : double.NaN):G6} | {(ok.Length > 0 ? ok[^1] : double.NaN):G6} | {spikes} |\n");
            if (ok.Length > 1 && ok[^1] > ok[0])
            {
                const int bins = 30;
                var edges = Enumerable.Range(0, bins + 1).Select(i => ok[0] + ((ok[^1] - ok[0]) * i / bins)).ToArray();
                var counts = new double[bins];
                foreach (var x in ok)
                {
                    counts[Math.Min(bins - 1, (int)((x - ok[0]) / (ok[^1] - ok[0]) * bins))]++;
                }

                Plots.Histogram(Path.Combine(dir, $"hist_{Safe(roles.Channels[c])}.png"), $"{roles.Channels[c]}: distribution", edges, counts);
            }
        }

        md.Append("\nHampel spikes: points more than 3 x 1.4826 x MAD from the median of an 11-point centred window, counted within each group by the gateway's own filter (`EdgeGateway.Core.Conditioning.Hampel`).\n\n");
        md.Append(string.Join(" ", roles.Channels.Select(ch => $"![{ch}](hist_{Safe(ch)}.png)").Where((_, i) => File.Exists(Path.Combine(dir, $"hist_{Safe(roles.Channels[i])}.png"))))).Append("\n\n");

        if (roles.Time is { } tc)
        {
            var t = table.Numbers(tc);
            var dts = new List<double>();
            foreach (var (start, length) in runs)
            {
                for (var r = start + 1; r < start + length; r++)
                {
                    dts.Add(t[r] - t[r - 1]);
                }
            }

            var sorted = dts.Where(double.IsFinite).Order().ToArray();
            var med = sorted.Length > 0 ? sorted[sorted.Length / 2] : double.NaN;
            var gaps = dts.Count(d => d > 1.5 * med);
            var backwards = dts.Count(d => d <= 0);
            md.Append(s_inv, $"## Time and gaps\n\nMedian step {med:G5}; {gaps} gaps longer than 1.5 x the median step (largest {(sorted.Length > 0 ? sorted[^1] : double.NaN):G5}); {backwards} steps that do not advance.\n\n");
        }

        md.Append("## Correlations (Pearson)\n\n");
        var n = channels.Length;
        var corr = new double[n, n];
        var pairs = new List<(string, string, double)>();
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < n; b++)
            {
                var idx = Enumerable.Range(0, table.RowCount).Where(r => double.IsFinite(channels[a][r]) && double.IsFinite(channels[b][r])).ToArray();
                corr[n - 1 - a, b] = idx.Length > 2 ? MathNet.Numerics.Statistics.Correlation.Pearson(idx.Select(r => channels[a][r]), idx.Select(r => channels[b][r])) : double.NaN;
                if (b > a)
                {
                    pairs.Add((roles.Channels[a], roles.Channels[b], corr[n - 1 - a, b]));
                }
            }
        }

        Plots.Heatmap(Path.Combine(dir, "correlations.png"), "channel correlations", corr, roles.Channels);
        md.Append("![correlations](correlations.png)\n\n| pair | r |\n|---|---:|\n");
        foreach (var (a, b, r) in pairs.Where(p => double.IsFinite(p.Item3)).OrderByDescending(p => Math.Abs(p.Item3)).Take(10))
        {
            md.Append(s_inv, $"| {a} / {b} | {r:F3} |\n");
        }

        if (roles.Label is { } lc)
        {
            var labels = table.Texts(lc);
            var counts = labels.GroupBy(l => l).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => (l.Key, Count: l.Count())).ToList();
            md.Append("\n## Class balance\n\n| label | rows | share |\n|---|---:|---:|\n");
            foreach (var (k, cnt) in counts)
            {
                md.Append(s_inv, $"| {k} | {cnt} | {cnt / (double)table.RowCount:P2} |\n");
            }

            var ratio = counts.Count > 1 ? counts.Max(x => x.Count) / (double)counts.Min(x => x.Count) : double.PositiveInfinity;
            md.Append(s_inv, $"\nImbalance ratio (majority / minority): {ratio:F1}.{(ratio > 10 ? " Strongly imbalanced: train on normal data only and set thresholds for a false-alert rate." : string.Empty)}\n");
        }

        if (runs.Count > 0)
        {
            var (start, length) = runs[0];
            var x = roles.Time is { } t2 ? table.Numbers(t2).AsSpan(start, length).ToArray() : Enumerable.Range(0, length).Select(i => (double)i).ToArray();
            var series = channels.Select((ch, i) =>
            {
                var seg = ch.AsSpan(start, length).ToArray();
                var ok = seg.Where(double.IsFinite).ToArray();
                var m = ok.Length > 0 ? ok.Average() : 0;
                var s = ok.Length > 0 ? Math.Sqrt(ok.Sum(v => (v - m) * (v - m)) / ok.Length) : 1;
                return (roles.Channels[i], seg.Select(v => s > 0 ? (v - m) / s : 0).ToArray());
            }).ToArray();
            Plots.Lines(Path.Combine(dir, "first_group.png"), $"first group ({groups[start]}), z-scored channels", roles.Time ?? "row", "z", x, series);
            md.Append("\n## First group\n\n![first group](first_group.png)\n");
        }

        var path = Path.Combine(dir, "eda.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    private static List<(int Start, int Length)> Runs(string[] groups)
    {
        var runs = new List<(int, int)>();
        var start = 0;
        for (var r = 1; r <= groups.Length; r++)
        {
            if (r == groups.Length || groups[r] != groups[start])
            {
                runs.Add((start, r - start));
                start = r;
            }
        }

        return runs;
    }

    private static string Safe(string s) => string.Concat(s.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_'));
}
