using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Rul;

/// <summary>
/// Trains the RUL network: regimes from the operating settings (k-means), per-regime z-score of
/// each channel, windows of the last <c>Window</c> cycles, piecewise-linear target
/// <c>min(Cap, cycles to failure)</c>, MLP regression with early stopping on held-out units.
/// </summary>
public static class RulTrainer
{
    private const double StdFloor = 1e-6;

    /// <summary>Trains on run-to-failure trajectories (each group ends at failure).</summary>
    public static RulModel Train(Dataset ds, IReadOnlyList<string> settings, RulConfig config, Action<int, EpochLog>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(config);
        var scaler = FitScaler(ds, ds.Table, settings, config.Regimes, config.Seed);
        var norm = NormalizeRows(ds, ds.Table, settings, scaler);
        var units = ds.GroupRuns().ToList();
        var nets = new List<Mlp>();
        var results = new List<TrainResult>();
        var validation = new List<IReadOnlyList<string>>();
        for (var m = 0; m < config.Members; m++)
        {
            var seed = config.Seed + ((ulong)m * 1000);
            var names = units.Select(u => u.Group).ToArray();
            new SplitMix64(seed).Shuffle(names);
            var valCount = Math.Max(1, (int)Math.Round(names.Length * config.ValidationFraction));
            var valSet = new HashSet<string>(names.Take(valCount), StringComparer.Ordinal);
            var (xs, ys) = Windows(ds, norm, units.Where(u => !valSet.Contains(u.Group)), config);
            var (xv, yv) = Windows(ds, norm, units.Where(u => valSet.Contains(u.Group)), config);
            var c = ds.Roles.Channels.Count;
            var sizes = new List<int> { config.Basis ? c * TemporalBasis.K : config.Window * c };
            sizes.AddRange(config.HiddenSizes);
            sizes.Add(1);
            var net = new Mlp(sizes, Activation.Relu, seed);
            var member = m;
            var result = Trainer.Train(net, xs, ys, xv, yv, new TrainOptions(config.MaxEpochs, config.BatchSize, config.LearningRate, config.Patience, seed, config.WeightDecay), e => onEpoch?.Invoke(member, e));
            nets.Add(net);
            results.Add(result);
            validation.Add(units.Select(u => u.Group).Where(valSet.Contains).ToList());
        }

        return new RulModel(config, ds.Roles.Channels, settings, scaler, nets, results, validation);
    }

    /// <summary>Fits the per-regime scaler on the training rows.</summary>
    public static ScalerSpec FitScaler(Dataset ds, LabTable table, IReadOnlyList<string> settings, int regimes, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(settings);
        var n = ds.RowCount;
        var settingCols = settings.Select(table.Numbers).ToArray();
        var sMean = settingCols.Select(col => col.Average()).ToArray();
        var sStd = settingCols.Select((col, j) => Std(col, sMean[j])).Select(s => s < StdFloor ? 1.0 : s).ToArray();
        var points = new double[n][];
        for (var r = 0; r < n; r++)
        {
            points[r] = new double[settings.Count];
            for (var j = 0; j < settings.Count; j++)
            {
                points[r][j] = (settingCols[j][r] - sMean[j]) / sStd[j];
            }
        }

        var k = settings.Count == 0 ? 1 : regimes > 0 ? regimes : KMeans.ChooseK(points, seed);
        double[][] centroids;
        int[] assign;
        if (k == 1)
        {
            centroids = [new double[settings.Count]];
            assign = new int[n];
        }
        else
        {
            (centroids, assign, _) = KMeans.Fit(points, k, seed);
        }

        var c = ds.Roles.Channels.Count;
        var mean = new double[k][];
        var std = new double[k][];
        for (var g = 0; g < k; g++)
        {
            mean[g] = new double[c];
            std[g] = new double[c];
            var rows = Enumerable.Range(0, n).Where(r => assign[r] == g).ToArray();
            for (var ch = 0; ch < c; ch++)
            {
                var col = ds.Channels[ch];
                var m = rows.Length == 0 ? 0 : rows.Sum(r => col[r]) / rows.Length;
                var v = rows.Length == 0 ? 1 : Math.Sqrt(rows.Sum(r => (col[r] - m) * (col[r] - m)) / rows.Length);
                mean[g][ch] = m;
                std[g][ch] = Math.Max(v, StdFloor);
            }
        }

        return new ScalerSpec(sMean, sStd, centroids, mean, std);
    }

    /// <summary>Applies the scaler to every row.</summary>
    public static float[] NormalizeRows(Dataset ds, LabTable table, IReadOnlyList<string> settings, ScalerSpec scaler)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scaler);
        var c = ds.Channels.Length;
        var settingCols = settings.Select(table.Numbers).ToArray();
        var result = new float[ds.RowCount * c];
        var s = new double[settings.Count];
        var row = new double[c];
        for (var r = 0; r < ds.RowCount; r++)
        {
            for (var j = 0; j < s.Length; j++)
            {
                s[j] = settingCols[j][r];
            }

            for (var ch = 0; ch < c; ch++)
            {
                row[ch] = ds.Channels[ch][r];
            }

            scaler.Normalize(s, row, result.AsSpan(r * c, c));
        }

        return result;
    }

    /// <summary>Training windows and capped, scaled targets of the given units.</summary>
    public static (float[][] X, float[][] Y) Windows(Dataset ds, float[] norm, IEnumerable<(string Group, int Start, int Length)> units, RulConfig config)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(norm);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(config);
        var c = ds.Channels.Length;
        var w = config.Window;
        var xs = new List<float[]>();
        var ys = new List<float[]>();
        foreach (var (_, start, length) in units)
        {
            var lastTime = ds.Time[start + length - 1];
            for (var end = start + config.MinRows - 1; end < start + length; end++)
            {
                xs.Add(Features(Window(norm, c, start, end, w), c, config));
                var rul = Math.Min(config.Cap, lastTime - ds.Time[end]);
                ys.Add([(float)(rul / config.Cap)]);
            }
        }

        return ([.. xs], [.. ys]);
    }

    /// <summary>
    /// The row feeding position <paramref name="t"/> (0 = oldest) of the <paramref name="window"/>-row
    /// window that ends at row <paramref name="end"/> of a unit starting at row <paramref name="unitStart"/>:
    /// where the window reaches before the unit's first row, that first row is repeated
    /// (<see cref="Core.Models.HistoryPadding"/>, which the gateway's estimator uses too).
    /// </summary>
    public static int WindowRow(int unitStart, int end, int window, int t) => Core.Models.HistoryPadding.Row(unitStart, end, window, t);

    /// <summary>The normalised window (row-major <c>[window, channels]</c>) ending at row <paramref name="end"/>, padded per <see cref="WindowRow"/>.</summary>
    public static float[] Window(float[] norm, int channels, int unitStart, int end, int window)
    {
        ArgumentNullException.ThrowIfNull(norm);
        var x = new float[window * channels];
        for (var t = 0; t < window; t++)
        {
            norm.AsSpan(WindowRow(unitStart, end, window, t) * channels, channels).CopyTo(x.AsSpan(t * channels, channels));
        }

        return x;
    }

    /// <summary>The network input for one window: basis features, or the raw window.</summary>
    public static float[] Features(ReadOnlySpan<float> window, int channels, RulConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.Basis)
        {
            return window.ToArray();
        }

        var f = new float[channels * TemporalBasis.K];
        TemporalBasis.Project(window, channels, TemporalBasis.Create(config.Window), f);
        return f;
    }

    private static double Std(double[] v, double mean) => Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
}
