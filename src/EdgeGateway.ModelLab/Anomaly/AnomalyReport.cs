using System.Globalization;
using System.Text;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Reports;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>Training curves and evaluation report of an anomaly package.</summary>
public static class AnomalyReport
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Autoencoder loss curves (when the autoencoder was trained) and the family comparison.</summary>
    public static void WriteTraining(string dir, AnomalyModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(dir);
        var md = new StringBuilder("# Anomaly training\n\n## Families compared on the same split (validation)\n\n| metric | value |\n|---|---:|\n");
        foreach (var m in model.Comparison)
        {
            md.Append(s_inv, $"| {m.Name} | {m.Value:G5} |\n");
        }

        md.Append(s_inv, $"\nShipped: **{model.Detector.Family}** (higher validation row F1; the first family tried when there are no labelled faults).\n\n");
        if ((model.AutoencoderTraining ?? model.Detector.Training) is { } t)
        {
            var shipped = model.Detector.Family == "ae" ? "shipped" : "compared, not shipped";
            Plots.LossCurves(Path.Combine(dir, "loss_autoencoder.png"), t.History, t.BestEpoch, $"autoencoder ({shipped}): reconstruction loss per epoch");
            md.Append(s_inv, $"## Autoencoder training ({shipped})\n\nReconstruction loss (mean squared error of the normalised window features) per epoch on the normal training windows and the normal validation windows; {t.History.Count} epochs run (training stops after {model.Config.Patience} epochs without a lower validation loss, or at {model.Config.MaxEpochs}); the lowest validation loss, {t.BestValidationLoss:G5} at epoch {t.BestEpoch}, gave the weights kept (`training_loss.csv`).\n\n");
            md.Append("![autoencoder loss](loss_autoencoder.png)\n\n");
            var csv = new StringBuilder("epoch,train_mse,validation_mse\n");
            foreach (var e in t.History)
            {
                csv.Append(s_inv, $"{e.Epoch},{e.TrainLoss:R},{e.ValidationLoss:R}\n");
            }

            File.WriteAllText(Path.Combine(dir, "training_loss.csv"), csv.ToString());
        }

        File.WriteAllText(Path.Combine(dir, "training.md"), md.ToString());
    }

    /// <summary>Evaluation Markdown with PR curve and a score timeline of the first faulty group.</summary>
    public static void WriteEvaluation(string dir, ModelManifest manifest, Dataset ds, double[] scores, AnomalyEvaluation.Result eval, Func<int, bool> include, string what)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(eval);
        ArgumentNullException.ThrowIfNull(include);
        Directory.CreateDirectory(dir);
        var md = new StringBuilder($"# Anomaly evaluation: {manifest.Name}\n\nData: {what}. Threshold {manifest.Decision!.Threshold:G5} ({manifest.Decision.ThresholdMethod}); ");
        md.Append(s_inv, $"episodes open after {manifest.Decision.Debounce.RaiseAfter} consecutive windows above it and close after {manifest.Decision.Debounce.ClearAfter} below.\n\n");
        md.Append("| metric | value |\n|---|---:|\n");
        foreach (var m in eval.Metrics)
        {
            md.Append(s_inv, $"| {m.Name} | {m.Value:G5} |\n");
        }

        var int8 = manifest.Metrics.Where(m => m.Name.StartsWith("int8.", StringComparison.Ordinal)).ToList();
        if (int8.Count > 0)
        {
            md.Append("\n## int8 against fp32 (ONNX Runtime)\n\n| metric | value |\n|---|---:|\n");
            foreach (var m in int8)
            {
                md.Append(s_inv, $"| {m.Name} | {m.Value:G5} |\n");
            }
        }

        md.Append("\nRow metrics compare the flag of the window ending at each row with the row's label; an event is a run of labelled rows, detected when an episode is open during it, latency in time-column units from its first row.\n\n");
        var alone = eval.Episodes.Any(e => !double.IsNaN(e.RaisedAloneScore));
        AppendEvents(dir, md, eval.Events, alone ? manifest.Decision.Threshold : null);
        if (eval.FalseAlerts.Count > 0)
        {
            md.Append("Normal groups with a false alert (episodes").Append(alone ? "; of them raised by the comparison with the other engine" : string.Empty).Append("): ")
                .AppendJoin(", ", eval.FalseAlerts.Select(f => alone ? string.Create(s_inv, $"{f.Group} ({f.Episodes}; {f.ByComparison})") : string.Create(s_inv, $"{f.Group} ({f.Episodes})"))).Append(".\n\n");
        }

        if (alone)
        {
            AppendEpisodes(dir, md, ds, eval.Episodes, manifest.Decision);
        }

        if (eval.Curve.Count > 1)
        {
            var plt = new ScottPlot.Plot();
            plt.Add.Scatter(eval.Curve.Select(p => p.Recall).ToArray(), eval.Curve.Select(p => p.Precision).ToArray()).MarkerSize = 0;
            plt.Title("precision-recall of window scores");
            plt.XLabel("recall");
            plt.YLabel("precision");
            plt.SavePng(Path.Combine(dir, "precision_recall.png"), 700, 500);
            md.Append("![precision-recall](precision_recall.png)\n\n");
        }

        var faulty = ds.GroupRuns().FirstOrDefault(g => include(g.Start) && Enumerable.Range(g.Start, g.Length).Any(r => ds.Labels![r] == 1));
        if (faulty.Length > 0)
        {
            var rows = Enumerable.Range(faulty.Start, faulty.Length).ToArray();
            var x = rows.Select(r => ds.Time[r]).ToArray();
            Plots.Lines(
                Path.Combine(dir, "timeline.png"),
                $"group {faulty.Group}: score, threshold, label, flag",
                "time",
                "score",
                x,
                ("score", rows.Select(r => double.IsNaN(scores[r]) ? 0 : scores[r]).ToArray()),
                ("threshold", rows.Select(_ => manifest.Decision.Threshold).ToArray()),
                ("label x threshold", rows.Select(r => ds.Labels![r] * manifest.Decision.Threshold * 1.5).ToArray()),
                ("flag x threshold", rows.Select(r => eval.Flags[r] ? manifest.Decision.Threshold * 1.2 : 0).ToArray()));
            md.Append("![timeline](timeline.png)\n");
        }

        File.WriteAllText(Path.Combine(dir, "evaluation.md"), md.ToString());
    }

    // Every event in events.csv; per kind, how long the detected and the missed events lasted (time
    // units), since a fault that exists for only a few windows before the recording ends is the
    // hardest to see.
    // With aloneThreshold (the model reads the other engine's inputs), also each detected event's
    // raisedAloneScore and whether the comparison with the other engine raised it.
    private static void AppendEvents(string dir, StringBuilder md, IReadOnlyList<AnomalyEvaluation.EventOutcome> events, double? aloneThreshold)
    {
        if (events.Count == 0)
        {
            return;
        }

        var byFlight = events[0].FlightDetected is not null;
        var sliceNames = events[0].Slices?.Select(x => "," + Csv(x.Column)) ?? [];
        var csv = new StringBuilder("group,kind,start,length,group_length,detected,latency,dead_channel,dead_alert_latency" + (byFlight ? ",flight_detected" : string.Empty) + (aloneThreshold is null ? string.Empty : ",raised_alone_score,by_comparison") + string.Concat(sliceNames) + "\n");
        foreach (var e in events)
        {
            csv.Append(s_inv, $"{Csv(e.Group)},{Csv(e.Kind)},{e.Start:R},{e.Length:R},{e.GroupLength:R},{(e.Detected ? 1 : 0)},{(e.Detected ? e.Latency.ToString("R", s_inv) : string.Empty)},{Csv(e.DeadChannel ?? string.Empty)},{(e.DeadChannel is null ? string.Empty : e.DeadLatency.ToString("R", s_inv))}");
            csv.Append(byFlight ? (e.FlightDetected == true ? ",1" : ",0") : string.Empty);
            csv.Append(aloneThreshold is not { } t ? string.Empty : double.IsNaN(e.RaisedAloneScore) ? ",," : string.Create(s_inv, $",{e.RaisedAloneScore:R},{(e.DetectedByComparison(t) ? 1 : 0)}"));
            csv.Append(string.Concat(e.Slices?.Select(x => "," + Csv(x.Value)) ?? [])).Append('\n');
        }

        File.WriteAllText(Path.Combine(dir, "events.csv"), csv.ToString());
        md.Append("## Events by kind\n\nEvent length is the time from an event's first labelled row to its last (the end of the recording for a fault that lasts); every event is in `events.csv`.\n\n");
        md.Append("The last column counts events the model missed and the gateway's dead-sensor rule reports (a channel of the engine silent from inside the event to the end of the recording, at least 60 s: the data-quality alert; `dead_channel` in `events.csv`).\n\n");
        if (byFlight)
        {
            md.Append("With a flight column, the last two columns count per flight: events during which an episode was open on the event's group or on another group of the same flight (the aircraft's other engine), and of those, the ones found on another group only (the crew sent to the right aircraft and the wrong engine; `flight_detected` in `events.csv`).\n\n");
        }

        if (aloneThreshold is not null)
        {
            md.Append("\"Detected by comparison\" counts detected events whose episode was raised by the comparison with the other engine: its raising window, scored with every input of the other engine replaced by the engine's own (the gateway's `raisedAloneScore`), is at or below the threshold, and the gateway's alert names the other engine (`raised_alone_score`, `by_comparison` in `events.csv`).\n\n");
        }

        md.Append("| kind | events | detected | median length, detected | median length, missed | shortest detected | longest missed | missed, reported dead |")
            .Append(byFlight ? " found on the flight | on another group only |" : string.Empty)
            .Append(aloneThreshold is null ? string.Empty : " detected by comparison |")
            .Append("\n|---|---:|---:|---:|---:|---:|---:|---:|").Append(byFlight ? "---:|---:|" : string.Empty).Append(aloneThreshold is null ? "\n" : "---:|\n");
        foreach (var g in events.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var hit = g.Where(e => e.Detected).Select(e => e.Length).Order().ToArray();
            var miss = g.Where(e => !e.Detected).Select(e => e.Length).Order().ToArray();
            md.Append(s_inv, $"| {g.Key} | {g.Count()} | {hit.Length} | {Median(hit)} | {Median(miss)} | {(hit.Length > 0 ? hit[0].ToString("G5", s_inv) : "-")} | {(miss.Length > 0 ? miss[^1].ToString("G5", s_inv) : "-")} | {g.Count(e => !e.Detected && e.DeadChannel is not null)} |");
            md.Append(byFlight ? string.Create(s_inv, $" {g.Count(e => e.FlightDetected == true)} | {g.Count(e => e.FlightDetected == true && !e.Detected)} |") : string.Empty);
            md.Append(aloneThreshold is not { } t ? "\n" : string.Create(s_inv, $" {g.Count(e => e.DetectedByComparison(t))} |\n"));
        }

        md.Append('\n');
    }

    // Every episode in episodes.csv with its raising window's score alone; the count by comparison in the report.
    private static void AppendEpisodes(string dir, StringBuilder md, Dataset ds, IReadOnlyList<AnomalyEvaluation.Episode> episodes, DecisionSpec decision)
    {
        var csv = new StringBuilder("group,first_abnormal,raised,peak_window_end,raised_alone_score,by_comparison\n");
        foreach (var e in episodes)
        {
            var by = AnomalyEvaluation.ByComparison(e, decision);
            csv.Append(s_inv, $"{Csv(e.Group)},{ds.Time[e.FirstAbnormalRow]:R},{ds.Time[e.RaisedRow]:R},{ds.Time[e.PeakRow]:R},{e.RaisedAloneScore:R},{(by == true ? 1 : 0)}\n");
        }

        File.WriteAllText(Path.Combine(dir, "episodes.csv"), csv.ToString());
        md.Append(s_inv, $"Episodes: {episodes.Count}, of them {episodes.Count(e => AnomalyEvaluation.ByComparison(e, decision) == true)} raised by the comparison with the other engine (`episodes.csv`; time columns are the last rows of windows).\n\n");
    }

    private static string Median(double[] sorted) => sorted.Length == 0 ? "-"
        : (sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2).ToString("G5", s_inv);

    private static string Csv(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
