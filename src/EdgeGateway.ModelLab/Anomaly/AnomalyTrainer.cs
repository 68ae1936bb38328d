using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>Which part of the data a row belongs to.</summary>
public enum RowRole : byte
{
    /// <summary>Training (normal windows only are used).</summary>
    Train,

    /// <summary>Validation: early stopping, threshold, model choice.</summary>
    Validation,

    /// <summary>Held out for evaluation.</summary>
    Test,
}

/// <summary>
/// Trains the anomaly detector on normal windows only: per-regime scaler fitted on normal training
/// rows, PCA (T-squared and Q) and an autoencoder on the same split, threshold from validation
/// normals at a target false-alert rate (or from the training score distribution when there are no
/// labels), and the better family by validation F1 of debounced flags.
/// </summary>
public static class AnomalyTrainer
{
    /// <summary>Assigns rows to train/validation/test.</summary>
    public static RowRole[] SplitRows(Dataset ds, AnomalyConfig config)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(config);
        var roles = new RowRole[ds.RowCount];
        if (config.TrainRows > 0)
        {
            if (config.TrainRows >= ds.RowCount)
            {
                throw new LabException($"{ds.Table.Source}: --train-rows {config.TrainRows} leaves no rows to evaluate ({ds.RowCount} rows)");
            }

            var valStart = (int)(config.TrainRows * 0.8);
            for (var r = 0; r < ds.RowCount; r++)
            {
                roles[r] = r < valStart ? RowRole.Train : r < config.TrainRows ? RowRole.Validation : RowRole.Test;
            }

            return roles;
        }

        var runs = ds.GroupRuns().ToList();
        var faulty = runs.Where(g => ds.Labels is not null && Enumerable.Range(g.Start, g.Length).Any(r => ds.Labels[r] == 1)).Select(g => g.Group).ToArray();
        var faultySet = new HashSet<string>(faulty, StringComparer.Ordinal);
        var normal = runs.Select(g => g.Group).Where(g => !faultySet.Contains(g)).Distinct().ToArray();
        var rng = new SplitMix64(config.Seed);
        rng.Shuffle(normal);
        rng.Shuffle(faulty);
        if (normal.Length < 3)
        {
            throw new LabException($"{ds.Table.Source}: {normal.Length} normal group(s); need at least 3 to train, validate and test (or use --train-rows)");
        }

        var role = new Dictionary<string, RowRole>(StringComparer.Ordinal);
        var nTrain = Math.Max(1, (int)(normal.Length * 0.6));
        var nVal = Math.Max(1, (int)(normal.Length * 0.2));
        for (var i = 0; i < normal.Length; i++)
        {
            role[normal[i]] = i < nTrain ? RowRole.Train : i < nTrain + nVal ? RowRole.Validation : RowRole.Test;
        }

        for (var i = 0; i < faulty.Length; i++)
        {
            role[faulty[i]] = i % 2 == 0 ? RowRole.Validation : RowRole.Test;
        }

        for (var r = 0; r < ds.RowCount; r++)
        {
            roles[r] = role[ds.Groups[r]];
        }

        return roles;
    }

    /// <summary>End rows of every full window (all rows in one group run) whose rows all have role <paramref name="role"/>.</summary>
    public static List<int> WindowEnds(Dataset ds, RowRole[] roles, RowRole role, int window, int stride = 1, bool normalOnly = false)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(roles);
        var ends = new List<int>();
        foreach (var (_, start, length) in ds.GroupRuns())
        {
            var lastBad = -1;
            for (var r = start; r < start + length; r++)
            {
                if (roles[r] != role || ds.Gap[r] || (normalOnly && ds.Labels is not null && ds.Labels[r] == 1))
                {
                    lastBad = r;
                }

                var first = r - window + 1;
                if (first >= start && lastBad < first && (r - start - window + 1) % stride == 0)
                {
                    ends.Add(r);
                }
            }
        }

        return ends;
    }

    /// <summary>Trains and selects the detector.</summary>
    public static AnomalyModel Train(Dataset ds, IReadOnlyList<string> settings, AnomalyConfig config, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        var comparison0 = new List<Metric>();
        var roles = SplitRows(ds, config);
        var w = config.Window;
        var c = ds.Channels.Length;
        var trainRows = Enumerable.Range(0, ds.RowCount).Where(r => roles[r] == RowRole.Train && !ds.Gap[r] && (ds.Labels is null || ds.Labels[r] == 0)).ToArray();
        if (trainRows.Length < w)
        {
            throw new LabException($"{ds.Table.Source}: {trainRows.Length} normal training rows, fewer than the window of {w}");
        }

        var sub = Dataset.Create(ds.Table.SelectRows(trainRows), ds.Roles, 1, rejectConstant: true);
        var scaler = Rul.RulTrainer.FitScaler(sub, sub.Table, settings, 0, config.Seed);
        var norm = Rul.RulTrainer.NormalizeRows(ds, ds.Table, settings, scaler);
        var standIns = new StandInWindows(ds, norm, settings, scaler);
        float[] Win(int end) => norm.AsSpan((end - w + 1) * c, w * c).ToArray();

        var trainEnds = WindowEnds(ds, roles, RowRole.Train, w, config.TrainStride, normalOnly: true);
        var valNormalEnds = WindowEnds(ds, roles, RowRole.Validation, w, 1, normalOnly: true);
        if (trainEnds.Count < 10 || valNormalEnds.Count < 5)
        {
            throw new LabException($"{ds.Table.Source}: too few normal windows of {w} rows to train ({trainEnds.Count}) and validate ({valNormalEnds.Count})");
        }

        var xs = trainEnds.Select(Win).ToArray();
        var xv = valNormalEnds.Select(Win).ToArray();
        var windowsRaw = xs;
        var own = EngineSplit.OwnChannels(ds.Roles.Channels, ds.Table.Source);
        if (own < c && config.Features != "residual")
        {
            throw new LabException($"{ds.Table.Source}: companion input '{ds.Roles.Channels[own]}' needs --features residual (companion inputs get no features of their own)");
        }

        if (!string.IsNullOrEmpty(config.EngineSplit) && config.Features != "residual")
        {
            throw new LabException($"--engine-split '{config.EngineSplit}' needs --features residual");
        }

        WindowFeatures? features = null;
        if (config.Features == "residual")
        {
            var names = ds.Roles.Channels.ToList();
            var n1 = names.FindIndex(n => string.Equals(n, "N1", StringComparison.OrdinalIgnoreCase));
            var n2 = names.FindIndex(n => string.Equals(n, "N2", StringComparison.OrdinalIgnoreCase));
            if (n1 < 0 || n2 < 0)
            {
                throw new LabException($"{ds.Table.Source}: --features residual needs channels named N1 and N2 (the operating point)");
            }

            var normRows = new float[trainRows.Length * c];
            for (var i = 0; i < trainRows.Length; i++)
            {
                norm.AsSpan(trainRows[i] * c, c).CopyTo(normRows.AsSpan(i * c, c));
            }

            var extra = new List<(int, int)>();
            foreach (var pair in config.ResidualInputs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = pair.Split(':');
                var target = parts.Length == 2 ? names.IndexOf(parts[0]) : -1;
                var predictor = parts.Length == 2 ? names.IndexOf(parts[1]) : -1;
                if (target < 0 || predictor < 0)
                {
                    throw new LabException($"--residual-inputs '{pair}' is not TARGET:PREDICTOR with both among the channels ({string.Join(",", names)})");
                }

                extra.Add((target, predictor));
            }

            features = WindowFeatures.Fit(normRows, xs, w, c, n1, n2, extra, own: own);
            xs = xs.Select(x => features.Compute(x)).ToArray();
            xv = xv.Select(x => features.Compute(x)).ToArray();
            log.WriteLine($"features: residuals against polynomial(N1, N2), {features.Dimension} window features{(own < c ? $" ({c - own} companion input(s) without features)" : string.Empty)}");
        }
        else if (config.Features != "raw")
        {
            throw new LabException($"--features '{config.Features}' is not raw or residual");
        }
        var badWindow = Array.FindIndex(xs, x => Array.Exists(x, v => !float.IsFinite(v)));
        if (badWindow >= 0)
        {
            var end = trainEnds[badWindow];
            throw new LabException($"{ds.Table.Source}: training window ending at {ds.Table.RowLabel(end)} (group '{ds.Groups[end]}') gives a value that is not finite; check the channels for extreme values");
        }

        var splits = new List<(EngineSplit Split, double Limit)>();
        if (!string.IsNullOrEmpty(config.EngineSplit))
        {
            foreach (var parsed in EngineSplit.ParseList(config.EngineSplit, ds.Roles.Channels, scaler, w, features!.ChangeBlock))
            {
                if (parsed.Log)
                {
                    // A ratio needs positive values: a zero or negative reading would be floored, not compared.
                    foreach (var channel in new[] { parsed.Target, parsed.TargetOther })
                    {
                        var i = Array.FindIndex(trainRows, r => ds.Channels[channel][r] <= 0);
                        if (i >= 0)
                        {
                            var bad = trainRows[i];
                            throw new LabException($"{ds.Table.Source}: --engine-split '{parsed.Spec}' compares logarithms, but channel '{ds.Roles.Channels[channel]}' is {ds.Channels[channel][bad].ToString(System.Globalization.CultureInfo.InvariantCulture)} at {ds.Table.RowLabel(bad)} (group '{ds.Groups[bad]}'), a normal training row; a ratio split needs positive values");
                        }
                    }
                }

                var split = parsed.WithGateSlope(windowsRaw);
                var m = split.Index == 0 ? "train.split." : $"train.split{split.Index}.";
                var margin = split.MarginOr(config.SplitMargin);
                comparison0.Add(new Metric(m + "gate_slope", split.GateSlope));
                var values = windowsRaw.Select(x => (double)split.Raw(x)).ToArray();
                var limit = values.Max() * margin;
                comparison0.Add(new Metric(m + "max", values.Max()));
                comparison0.Add(new Metric(m + "limit", limit));
                comparison0.Add(new Metric(m + $"steady_{(split.Falling ? "falling" : "rising")}_fraction", values.Count(v => v > 0) / (double)values.Length));
                var top = Array.IndexOf(values, values.Max());
                log.WriteLine($"engine split {split.Spec}: gate slope {split.GateSlope:G4}, largest {split.Direction} on normal training windows {values.Max():G4} (group '{ds.Groups[trainEnds[top]]}', window ending at {ds.Table.RowLabel(trainEnds[top])}), limit {limit:G4} (margin {margin:R}); 0.99 quantile {PcaDetector.Quantile(values, 0.99):G4}");
                foreach (var g in Enumerable.Range(0, values.Length).GroupBy(i => ds.Groups[trainEnds[i]]).Select(g => (g.Key, Max: g.Max(i => values[i]))).OrderByDescending(g => g.Max).Take(5))
                {
                    log.WriteLine($"  {g.Key} {g.Max:G4}");
                }

                splits.Add((split, limit));
            }
        }

        log.WriteLine($"split: {trainEnds.Count} training windows (stride {config.TrainStride}), {valNormalEnds.Count} normal validation windows");

        var candidates = new List<AnomalyDetector>();
        if (config.Family is "auto" or "pca")
        {
            var pca = PcaDetector.Fit(xs, config.VarianceKept);
            log.WriteLine($"pca: {pca.Rank} components of {pca.Dimension}");
            candidates.Add(AnomalyDetector.FromPca(pca, features));
        }

        if (config.Family is "max" || (config.Family == "auto" && features is not null))
        {
            var d = xs[0].Length;
            var limits = new float[d];
            for (var j = 0; j < d; j++)
            {
                limits[j] = (float)Math.Max(PcaDetector.Quantile(xs.Select(x => (double)Math.Abs(x[j])).ToArray(), PcaDetector.LimitQuantile), 1e-6);
            }

            candidates.Add(AnomalyDetector.FromMaxAbs(limits, features));
            log.WriteLine("max: largest feature over its 99th percentile on normal training windows");
        }

        if (config.Family is "auto" or "ae")
        {
            var dim = xs[0].Length;
            var sizes = new List<int> { dim };
            sizes.AddRange(config.AeHiddenSizes);
            sizes.Add(dim);
            var net = new Mlp(sizes, Activation.Relu, config.Seed);
            var result = Cli.Progress.Run("autoencoder", config.MaxEpochs, tick =>
                Trainer.Train(net, xs, xs, xv, xv, new TrainOptions(config.MaxEpochs, config.BatchSize, config.LearningRate, config.Patience, config.Seed), e => tick($"ae epoch {e.Epoch,3}  train {e.TrainLoss:F5}  validation {e.ValidationLoss:F5}")),
                log);
            candidates.Add(AnomalyDetector.FromAutoencoder(net, result, features));
        }

        if (candidates.Count == 0)
        {
            throw new LabException($"--family '{config.Family}' is not auto, pca, ae or max");
        }

        var allValEnds = WindowEnds(ds, roles, RowRole.Validation, w);
        var hasLabelledFaults = ds.Labels is not null && allValEnds.Any(e => ds.Labels[e] == 1);
        var debounce = new DebounceSpec(config.RaiseAfter, config.ClearAfter);
        var comparison = comparison0;
        AnomalyDetector? best = null;
        DecisionSpec? bestDecision = null;
        var bestF1 = double.NegativeInfinity;
        foreach (var cand in candidates)
        {
            double threshold;
            string method;
            if (hasLabelledFaults)
            {
                var normalScores = xv.Select(x => cand.ScoreInput(x)).ToArray();
                threshold = PcaDetector.Quantile(normalScores, 1 - config.TargetFalseAlertRate);
                method = $"quantile {1 - config.TargetFalseAlertRate:R} of validation normal window scores (target per-window false-alert rate {config.TargetFalseAlertRate:R})";
            }
            else
            {
                var trainScores = xs.Select(x => cand.ScoreInput(x)).ToArray();
                threshold = PcaDetector.Quantile(trainScores, config.NormalQuantile);
                method = $"quantile {config.NormalQuantile:R} of training normal window scores (no labelled validation)";
            }

            var decision = new DecisionSpec(threshold, method, debounce, config.Stride);
            var scored = splits.Count == 0 ? cand : cand.WithSplits([.. splits.Select(sp => sp.Split.WithLimit(sp.Limit, threshold))]);
            double f1 = 0;
            if (hasLabelledFaults)
            {
                var scores = ScoreRows(ds, norm, scored, w, r => roles[r] == RowRole.Validation, config.Stride, standIns);
                var eval = AnomalyEvaluation.Evaluate(ds, scores, decision, w, r => roles[r] == RowRole.Validation);
                f1 = eval.Metric("row.f1");
                comparison.Add(new Metric($"validation.{cand.Family}.row_f1", f1));
                comparison.Add(new Metric($"validation.{cand.Family}.event_detection_rate", eval.Metric("event.detection_rate")));
                comparison.Add(new Metric($"validation.{cand.Family}.false_alerts_per_normal_group", eval.Metric("group.false_alerts_per_normal_group")));
            }

            comparison.Add(new Metric($"validation.{cand.Family}.threshold", threshold));
            log.WriteLine($"{cand.Family}: threshold {threshold:G5}{(hasLabelledFaults ? $", validation row F1 {f1:F4}" : string.Empty)}");
            if (f1 > bestF1)
            {
                bestF1 = f1;
                best = scored;
                bestDecision = decision;
            }
        }

        log.WriteLine($"shipping: {best!.Family}");
        return new AnomalyModel(config, ds.Roles.Channels, scaler, best, bestDecision!, comparison, candidates.FirstOrDefault(c => c.Family == "ae")?.Training);
    }

    /// <summary>
    /// The gateway's window schedule: true for each row that ends a window the gateway would score
    /// (or skip for a gap). Per group, windows are phased from the first row without a gap (where
    /// the gateway's window builder has a value of every channel), or, when the other engine's
    /// inputs have a gap in every row, from the first row without a gap in a required channel
    /// (<see cref="Dataset.RequiredGap"/>: the builder gave up waiting for them), and follow every
    /// <paramref name="stride"/> rows.
    /// </summary>
    public static bool[] ScheduledEnds(Dataset ds, int window, int stride)
    {
        ArgumentNullException.ThrowIfNull(ds);
        var ends = new bool[ds.RowCount];
        foreach (var (_, start, length) in ds.GroupRuns())
        {
            var origin = start;
            while (origin < start + length && ds.Gap[origin])
            {
                origin++;
            }

            if (origin == start + length)
            {
                origin = start;
                while (origin < start + length && ds.RequiredGap[origin])
                {
                    origin++;
                }
            }

            for (var r = origin + window - 1; r < start + length; r += stride)
            {
                ends[r] = true;
            }
        }

        return ends;
    }

    /// <summary>
    /// Last rows of the scheduled windows (see <see cref="ScheduledEnds"/>) that hold no gap in a
    /// required channel: the windows the gateway scores (a gap in the other engine's inputs is
    /// stood in for, see <see cref="StandInWindows"/>).
    /// </summary>
    public static List<int> ScoredEnds(Dataset ds, int window, int stride)
    {
        ArgumentNullException.ThrowIfNull(ds);
        var scheduled = ScheduledEnds(ds, window, stride);
        var ends = new List<int>();
        foreach (var (_, start, length) in ds.GroupRuns())
        {
            var lastGap = -1;
            for (var r = start; r < start + length; r++)
            {
                if (ds.RequiredGap[r])
                {
                    lastGap = r;
                }

                if (scheduled[r] && lastGap <= r - window)
                {
                    ends.Add(r);
                }
            }
        }

        return ends;
    }

    /// <summary>Score of each scheduled window (see <see cref="ScheduledEnds"/>) at its last row; NaN elsewhere, for windows holding a gap in a required channel, and where <paramref name="include"/> is false.</summary>
    public static double[] ScoreRows(Dataset ds, float[] norm, AnomalyDetector detector, int window, Func<int, bool> include, int stride, StandInWindows windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(norm);
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(include);
        var c = ds.Channels.Length;
        var scores = new double[ds.RowCount];
        Array.Fill(scores, double.NaN);
        var buffer = new float[window * c];
        foreach (var r in ScoredEnds(ds, window, stride))
        {
            if (include(r))
            {
                windows.Copy(r, window, buffer);
                scores[r] = detector.Score(buffer);
            }
        }

        return scores;
    }
}
