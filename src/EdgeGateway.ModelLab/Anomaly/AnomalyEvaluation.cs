using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>
/// Anomaly evaluation on labelled rows: per row (flag of the window ending at the row against the
/// row's label), per event (a run of label-1 rows: detected when an episode is open at any of its
/// rows; latency from the event's first row), per group (false alerts per normal flight) and the
/// precision-recall curve of raw window scores. With gaps in the data, an event is also checked
/// against the gateway's dead-sensor rule (<see cref="DeadChannelRule"/>, on the group's own
/// channels, the time column in seconds): a dropout is never a model decision (a window holding a
/// gap is not scored), and the <c>*_with_data_quality</c> figures count what the box reports.
/// </summary>
public static class AnomalyEvaluation
{
    /// <summary>One labelled event (a run of label-1 rows in one group) and whether it was detected.</summary>
    /// <param name="Group">Group (flight) holding it.</param>
    /// <param name="Kind">Value of the kind column at its first row (<c>all</c> without one).</param>
    /// <param name="Start">Time of its first row.</param>
    /// <param name="Length">Time from its first to its last row.</param>
    /// <param name="GroupLength">Time from the group's first to its last evaluated row.</param>
    /// <param name="Detected">An episode was open at one of its rows.</param>
    /// <param name="Latency">Time from its first row to the first flagged row (NaN when missed).</param>
    /// <param name="DeadChannel">A channel of the group that the dead-sensor rule reports dead from a time inside the event (or the row before it), or null.</param>
    /// <param name="DeadLatency">Time from its first row to the dead-sensor alert's stamp (NaN without one).</param>
    /// <param name="FlightDetected">With a flight column: an episode was open, during the event's time, on this group or on another group of the same flight (the aircraft's other engine); null without one.</param>
    /// <param name="RaisedAloneScore">The <see cref="Episode.RaisedAloneScore"/> of the episode that detected it (NaN when missed or not computed).</param>
    /// <param name="Slices">With slice columns: each column's value at the event's first row, in the order given (null without).</param>
    public sealed record EventOutcome(string Group, string Kind, double Start, double Length, double GroupLength, bool Detected, double Latency, string? DeadChannel = null, double DeadLatency = double.NaN, bool? FlightDetected = null, double RaisedAloneScore = double.NaN, IReadOnlyList<(string Column, string Value)>? Slices = null)
    {
        /// <summary>Detected by the model or reported by the dead-sensor rule.</summary>
        public bool DetectedWithDataQuality => Detected || DeadChannel is not null;

        /// <summary>Detected by an episode the comparison with the other engine raised (see <see cref="ByComparison(Episode, DecisionSpec)"/>).</summary>
        public bool DetectedByComparison(double threshold) => Detected && RaisedByComparison(RaisedAloneScore, threshold);
    }

    /// <summary>
    /// An episode as the gateway raises it. Rows are the last rows of windows (a window's score
    /// belongs to its last row).
    /// </summary>
    /// <param name="Group">Group (engine-flight) holding it.</param>
    /// <param name="FirstAbnormalRow">The first window of the run of abnormal windows that raised it.</param>
    /// <param name="RaisedRow">The window that raised it.</param>
    /// <param name="PeakRow">The raising run's highest-scoring window (the first of equal ones): the window the gateway explains and scores alone when it raises the episode.</param>
    /// <param name="RaisedAloneScore">
    /// <see cref="PeakRow"/>'s window scored with every input of the other engine replaced by the
    /// engine's own (<see cref="Packaging.PackageScorer.ScoreAlone"/>; the gateway's
    /// <c>raisedAloneScore</c>); NaN when not computed (a model without other-engine inputs).
    /// </param>
    public sealed record Episode(string Group, int FirstAbnormalRow, int RaisedRow, int PeakRow, double RaisedAloneScore = double.NaN);

    /// <summary>Evaluation figures.</summary>
    /// <param name="Metrics">Named metrics, ordered by name.</param>
    /// <param name="Curve">Precision-recall points (recall, precision, threshold) by falling threshold.</param>
    /// <param name="Flags">Debounced flag per row.</param>
    /// <param name="Events">Each labelled event, in row order.</param>
    /// <param name="FalseAlerts">Normal groups (no labelled row) with an episode, how many, and how many of them were raised by the comparison with the other engine (see <see cref="ByComparison"/>), in row order.</param>
    /// <param name="Episodes">Every episode of the evaluated rows, in row order.</param>
    public sealed record Result(IReadOnlyList<Metric> Metrics, IReadOnlyList<(double Recall, double Precision, double Threshold)> Curve, bool[] Flags, IReadOnlyList<EventOutcome> Events, IReadOnlyList<(string Group, int Episodes, int ByComparison)> FalseAlerts, IReadOnlyList<Episode> Episodes)
    {
        /// <summary>A metric by name (NaN when absent).</summary>
        public double Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value ?? double.NaN;
    }

    /// <summary>Debounced flags per row, the debouncer restarting at each group.</summary>
    public static bool[] Flags(Dataset ds, double[] scores, DecisionSpec decision, int window) => Decide(ds, scores, decision, window).Flags;

    /// <summary>
    /// The gateway's decision at each row: the debouncer is pushed at each scheduled window end
    /// (<see cref="AnomalyTrainer.ScheduledEnds"/>: the score, or NaN = normal for a window skipped
    /// for a gap) and its state holds until the next; <c>Covered</c> is false before a group's first
    /// scheduled window.
    /// </summary>
    public static (bool[] Flags, bool[] Covered) Decide(Dataset ds, double[] scores, DecisionSpec decision, int window)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(decision);
        var scheduled = AnomalyTrainer.ScheduledEnds(ds, window, decision.Stride);
        var flags = new bool[ds.RowCount];
        var covered = new bool[ds.RowCount];
        foreach (var (_, start, length) in ds.GroupRuns())
        {
            var d = new EpisodeDebouncer(decision.Threshold, decision.Debounce);
            var started = false;
            for (var r = start; r < start + length; r++)
            {
                if (scheduled[r])
                {
                    d.Push(scores[r]);
                    started = true;
                }

                flags[r] = d.InEpisode;
                covered[r] = started;
            }
        }

        return (flags, covered);
    }

    /// <summary>
    /// The episodes the gateway raises from these scores (<see cref="Decide"/>'s schedule and
    /// debounce), each with its raising run's peak window as the gateway's scorer picks it: the
    /// highest score among the consecutive abnormal windows up to the one that raised it (a window
    /// skipped for a gap is normal and ends a run).
    /// </summary>
    public static List<Episode> Episodes(Dataset ds, double[] scores, DecisionSpec decision, int window)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(decision);
        var scheduled = AnomalyTrainer.ScheduledEnds(ds, window, decision.Stride);
        var episodes = new List<Episode>();
        foreach (var (group, start, length) in ds.GroupRuns())
        {
            var d = new EpisodeDebouncer(decision.Threshold, decision.Debounce);
            int runStart = -1, peakRow = -1;
            var peak = double.NegativeInfinity;
            for (var r = start; r < start + length; r++)
            {
                if (!scheduled[r])
                {
                    continue;
                }

                var score = scores[r];
                if (!d.InEpisode)
                {
                    if (score > decision.Threshold)
                    {
                        if (runStart < 0)
                        {
                            runStart = r;
                            peak = double.NegativeInfinity;
                        }

                        if (score > peak)
                        {
                            peak = score;
                            peakRow = r;
                        }
                    }
                    else
                    {
                        runStart = -1;
                    }
                }

                if (d.Push(score) == EpisodeTransition.Raised)
                {
                    episodes.Add(new Episode(group, runStart, r, peakRow));
                    runStart = -1;
                }
            }
        }

        return episodes;
    }

    /// <summary>
    /// True when the episode was raised by the comparison with the other engine: its peak window,
    /// scored on the engine alone, is at or below the threshold (the gateway's alert then reads
    /// "vs ENG n"); false when abnormal alone; null when not computed.
    /// </summary>
    public static bool? ByComparison(Episode episode, DecisionSpec decision)
    {
        ArgumentNullException.ThrowIfNull(episode);
        ArgumentNullException.ThrowIfNull(decision);
        return double.IsNaN(episode.RaisedAloneScore) ? null : RaisedByComparison(episode.RaisedAloneScore, decision.Threshold);
    }

    // The rule behind ByComparison: the window alone at or below the threshold (NaN, not computed: false).
    private static bool RaisedByComparison(double aloneScore, double threshold) => aloneScore <= threshold;

    /// <summary>
    /// Evaluates rows where <paramref name="include"/> is true. With <paramref name="flightColumn"/>
    /// (groups are engines, several per flight) it also counts per flight: an event is found on the
    /// flight when an episode is open during it on any of the flight's groups (the <c>flight.*</c>
    /// metrics; an alert on the other engine only sends the crew to the right aircraft and the wrong
    /// engine, so the per-group figures stay the measure), and a normal flight (every group normal)
    /// has a false alert when any of its groups has an episode. With <paramref name="scoreAlone"/>
    /// (the episodes' peak rows in, their windows' scores on the engine alone out, or null when the
    /// model has no other-engine inputs) it counts the episodes raised by the comparison with the
    /// other engine (<see cref="ByComparison"/>): <c>episode.raised_by_comparison</c>,
    /// <c>group.false_alert_episodes_by_comparison</c> and per kind
    /// <c>event.kind.*.detected_by_comparison</c> (detected events whose detecting episode was).
    /// With <paramref name="sliceColumns"/> (for example the engine position and the flight phase)
    /// it also gives the figures per value of each column: <c>event.COL.VALUE.detection_rate</c> and
    /// <c>.count</c> by the value at each event's first row (the phase the fault began in), and, for a
    /// column constant within every group (the engine position), <c>group.COL.VALUE.normal_groups</c>
    /// and <c>.normal_groups_with_false_alert</c>.
    /// </summary>
    public static Result Evaluate(Dataset ds, double[] scores, DecisionSpec decision, int window, Func<int, bool> include, string? kindColumn = null, string? flightColumn = null, Func<IReadOnlyList<int>, double[]?>? scoreAlone = null, IReadOnlyList<string>? sliceColumns = null)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(include);
        if (ds.Labels is null)
        {
            throw new LabException($"{ds.Table.Source}: evaluation needs a label column (--label)");
        }

        var labels = ds.Labels;
        var (flags, covered) = Decide(ds, scores, decision, window);
        var episodes = Episodes(ds, scores, decision, window).Where(e => include(e.RaisedRow)).ToList();
        if (scoreAlone?.Invoke([.. episodes.Select(e => e.PeakRow)]) is { } alone)
        {
            episodes = [.. episodes.Select((e, i) => e with { RaisedAloneScore = alone[i] })];
        }

        var aloneKnown = episodes.Any(e => !double.IsNaN(e.RaisedAloneScore));
        // The episode a flagged row belongs to: the group's latest raised at or before it.
        Episode? EpisodeAt(int row) => episodes.LastOrDefault(e => e.Group == ds.Groups[row] && e.RaisedRow <= row);
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var r = 0; r < ds.RowCount; r++)
        {
            if (!include(r) || !covered[r])
            {
                continue;
            }

            switch (labels[r], flags[r])
            {
                case (1, true): tp++; break;
                case (1, false): fn++; break;
                case (0, true): fp++; break;
                default: tn++; break;
            }
        }

        var metrics = new List<Metric>();
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        metrics.Add(new("row.precision", precision));
        metrics.Add(new("row.recall", recall));
        metrics.Add(new("row.f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)));
        metrics.Add(new("row.false_alarm_rate", fp + tn == 0 ? 0 : (double)fp / (fp + tn)));
        metrics.Add(new("row.missed_alarm_rate", tp + fn == 0 ? 0 : (double)fn / (tp + fn)));

        var kinds = kindColumn is not null && ds.Table.HasColumn(kindColumn) ? ds.Table.Texts(kindColumn) : null;
        var slices = (sliceColumns ?? []).Select(col => ds.Table.HasColumn(col)
            ? (Column: col, Values: ds.Table.Texts(col))
            : throw new LabException($"{ds.Table.Source}: slice column '{col}' not found; columns are: {string.Join(", ", ds.Table.ColumnNames)}")).ToList();
        var events = new List<EventOutcome>();
        var eventRows = new List<int>();
        var normalGroupRows = new List<(int Start, bool FalseAlert)>();
        var normalGroups = 0;
        var falseAlerts = 0;
        var groupsWithFalseAlert = 0;
        var falseAlertGroups = new List<(string Group, int Episodes, int ByComparison)>();
        foreach (var (group, start, length) in ds.GroupRuns())
        {
            var rows = Enumerable.Range(start, length).Where(r => include(r)).ToArray();
            if (rows.Length == 0)
            {
                continue;
            }

            if (rows.All(r => labels[r] == 0))
            {
                normalGroups++;
                var opened = rows.Count(r => flags[r] && (r == start || !flags[r - 1]));
                falseAlerts += opened;
                groupsWithFalseAlert += opened > 0 ? 1 : 0;
                normalGroupRows.Add((start, opened > 0));
                if (opened > 0)
                {
                    falseAlertGroups.Add((group, opened, ByComparisonIn(group)));
                }

                continue;
            }

            var deadChannels = DeadChannels(ds, rows);
            for (var i = 0; i < rows.Length; i++)
            {
                var r = rows[i];
                if (labels[r] == 1 && (i == 0 || labels[rows[i - 1]] == 0))
                {
                    var end = i;
                    while (end + 1 < rows.Length && labels[rows[end + 1]] == 1)
                    {
                        end++;
                    }

                    var first = Enumerable.Range(i, end - i + 1).FirstOrDefault(j => flags[rows[j]], -1);
                    // A sensor that stops between grid points leaves its first empty grid point one
                    // row before the first row labelled faulty: that row counts as inside the event.
                    var from = ds.Time[rows[Math.Max(i - 1, 0)]];
                    var dead = deadChannels.FirstOrDefault(d => d.Since >= from && d.Since <= ds.Time[rows[end]]);
                    eventRows.Add(r);
                    events.Add(new EventOutcome(group, kinds?[r] ?? "all", ds.Time[r], ds.Time[rows[end]] - ds.Time[r], ds.Time[rows[^1]] - ds.Time[rows[0]], first >= 0, first >= 0 ? ds.Time[rows[first]] - ds.Time[r] : double.NaN, dead.Channel, dead.Channel is null ? double.NaN : dead.Since + DeadChannelRule.DeadAfter.TotalSeconds - ds.Time[r], RaisedAloneScore: first >= 0 ? EpisodeAt(rows[first])?.RaisedAloneScore ?? double.NaN : double.NaN, Slices: slices.Count == 0 ? null : [.. slices.Select(x => (x.Column, x.Values[r]))]));
                }
            }
        }

        if (flightColumn is not null)
        {
            events = ByFlight(ds, flags, include, flightColumn, events, metrics, aloneKnown ? r => EpisodeAt(r) is { } ep && ByComparison(ep, decision) == true : null);
        }

        metrics.Add(new("event.count", events.Count));
        metrics.Add(new("event.detection_rate", events.Count == 0 ? double.NaN : events.Count(e => e.Detected) / (double)events.Count));
        var lat = events.Where(e => e.Detected).Select(e => e.Latency).ToArray();
        metrics.Add(new("event.detection_rate_with_data_quality", events.Count == 0 ? double.NaN : events.Count(e => e.DetectedWithDataQuality) / (double)events.Count));
        metrics.Add(new("event.mean_latency", lat.Length == 0 ? double.NaN : lat.Average()));
        metrics.Add(new("event.max_latency", lat.Length == 0 ? double.NaN : lat.Max()));
        if (kinds is not null)
        {
            foreach (var g in events.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                metrics.Add(new($"event.kind.{g.Key}.detection_rate", g.Count(e => e.Detected) / (double)g.Count()));
                metrics.Add(new($"event.kind.{g.Key}.count", g.Count()));
                metrics.Add(new($"event.kind.{g.Key}.detection_rate_with_data_quality", g.Count(e => e.DetectedWithDataQuality) / (double)g.Count()));
            }
        }

        if (aloneKnown)
        {
            metrics.Add(new("episode.count", episodes.Count));
            metrics.Add(new("episode.raised_by_comparison", episodes.Count(e => ByComparison(e, decision) == true)));
            metrics.Add(new("group.false_alert_episodes_by_comparison", falseAlertGroups.Sum(f => f.ByComparison)));
            if (kinds is not null)
            {
                foreach (var g in events.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    metrics.Add(new($"event.kind.{g.Key}.detected_by_comparison", g.Count(e => e.DetectedByComparison(decision.Threshold))));
                }
            }
        }

        foreach (var (column, values) in slices)
        {
            foreach (var g in Enumerable.Range(0, events.Count).GroupBy(i => values[eventRows[i]]).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                metrics.Add(new($"event.{column}.{g.Key}.count", g.Count()));
                metrics.Add(new($"event.{column}.{g.Key}.detection_rate", g.Count(i => events[i].Detected) / (double)g.Count()));
                metrics.Add(new($"event.{column}.{g.Key}.detection_rate_with_data_quality", g.Count(i => events[i].DetectedWithDataQuality) / (double)g.Count()));
            }

            if (ds.GroupRuns().All(g => Enumerable.Range(g.Start, g.Length).All(r => values[r] == values[g.Start])))
            {
                foreach (var g in normalGroupRows.GroupBy(n => values[n.Start]).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    metrics.Add(new($"group.{column}.{g.Key}.normal_groups", g.Count()));
                    metrics.Add(new($"group.{column}.{g.Key}.normal_groups_with_false_alert", g.Count(n => n.FalseAlert) / (double)g.Count()));
                }
            }
        }

        metrics.Add(new("group.normal_groups", normalGroups));
        metrics.Add(new("group.false_alerts_per_normal_group", normalGroups == 0 ? double.NaN : falseAlerts / (double)normalGroups));
        metrics.Add(new("group.normal_groups_with_false_alert", normalGroups == 0 ? double.NaN : groupsWithFalseAlert / (double)normalGroups));

        var curve = PrCurve(scores, labels, include);
        var ap = 0.0;
        var prevRecall = 0.0;
        foreach (var (rc, pr, _) in curve)
        {
            ap += (rc - prevRecall) * pr;
            prevRecall = rc;
        }

        metrics.Add(new("window.average_precision", ap));

        // Scored windows, and those whose other-engine inputs were stood in for (a gap there: the
        // scored window holds no gap in the engine's own channels, see StandInWindows).
        var gapsBefore = new int[ds.RowCount + 1];
        for (var r = 0; r < ds.RowCount; r++)
        {
            gapsBefore[r + 1] = gapsBefore[r] + (ds.Gap[r] ? 1 : 0);
        }

        var scored = Enumerable.Range(0, ds.RowCount).Where(r => include(r) && !double.IsNaN(scores[r])).ToArray();
        metrics.Add(new("window.scored", scored.Length));
        metrics.Add(new("window.scored_with_stand_in", scored.Count(r => gapsBefore[r + 1] != gapsBefore[Math.Max(0, r - window + 1)])));
        return new Result(metrics.OrderBy(m => m.Name, StringComparer.Ordinal).ToList(), curve, flags, events, falseAlertGroups, episodes);

        int ByComparisonIn(string group) => episodes.Count(e => e.Group == group && ByComparison(e, decision) == true);
    }

    // Flight-level figures (see Evaluate): each event's FlightDetected, per kind the detection rate
    // and the events found on another group of the flight only, and false alerts per normal flight.
    // With byComparison (a flagged row's episode was raised by the comparison with the other engine),
    // also the events found on another group only by an episode the comparison raised: its alert
    // names the event's engine as the other one whose sensor may be at fault.
    private static List<EventOutcome> ByFlight(Dataset ds, bool[] flags, Func<int, bool> include, string flightColumn, List<EventOutcome> events, List<Metric> metrics, Func<int, bool>? byComparison)
    {
        if (!ds.Table.HasColumn(flightColumn))
        {
            throw new LabException($"{ds.Table.Source}: flight column '{flightColumn}' not found; columns are: {string.Join(", ", ds.Table.ColumnNames)}");
        }

        var flightOf = ds.Table.Texts(flightColumn);
        var groupsOfFlight = new SortedDictionary<string, List<(string Group, int[] Rows)>>(StringComparer.Ordinal);
        foreach (var (group, start, length) in ds.GroupRuns())
        {
            for (var r = start; r < start + length; r++)
            {
                if (!string.Equals(flightOf[r], flightOf[start], StringComparison.Ordinal))
                {
                    throw new LabException($"{ds.Table.Source}: group '{group}' spans flights '{flightOf[start]}' and '{flightOf[r]}' (row {r + 1}); the flight column '{flightColumn}' must be constant within a group");
                }
            }

            if (!groupsOfFlight.TryGetValue(flightOf[start], out var list))
            {
                groupsOfFlight[flightOf[start]] = list = [];
            }

            list.Add((group, [.. Enumerable.Range(start, length).Where(include)]));
        }

        var flightOfGroup = groupsOfFlight.SelectMany(f => f.Value.Select(g => (g.Group, Flight: f.Key))).ToDictionary(x => x.Group, x => x.Flight, StringComparer.Ordinal);
        var result = events.Select(e => e with
        {
            FlightDetected = e.Detected || groupsOfFlight[flightOfGroup[e.Group]].Any(g => g.Group != e.Group
                && g.Rows.Any(r => flags[r] && ds.Time[r] >= e.Start && ds.Time[r] <= e.Start + e.Length)),
        }).ToList();

        metrics.Add(new("flight.event.detection_rate", result.Count == 0 ? double.NaN : result.Count(e => e.FlightDetected == true) / (double)result.Count));
        foreach (var g in result.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            metrics.Add(new($"flight.event.kind.{g.Key}.detection_rate", g.Count(e => e.FlightDetected == true) / (double)g.Count()));
            metrics.Add(new($"flight.event.kind.{g.Key}.other_group_only", g.Count(e => e.FlightDetected == true && !e.Detected)));
            if (byComparison is not null)
            {
                metrics.Add(new($"flight.event.kind.{g.Key}.other_group_only_by_comparison", g.Count(e => e.FlightDetected == true && !e.Detected
                    && groupsOfFlight[flightOfGroup[e.Group]].Any(o => o.Group != e.Group && o.Rows.Any(r => flags[r] && ds.Time[r] >= e.Start && ds.Time[r] <= e.Start + e.Length && byComparison(r))))));
            }
        }

        var normal = groupsOfFlight.Values.Where(gs => gs.All(g => g.Rows.Length > 0 && g.Rows.All(r => ds.Labels![r] == 0))).ToList();
        metrics.Add(new("flight.normal_flights", normal.Count));
        metrics.Add(new("flight.normal_flights_with_false_alert", normal.Count == 0 ? double.NaN : normal.Count(gs => gs.Any(g => g.Rows.Any(r => flags[r]))) / (double)normal.Count));
        return result;
    }

    /// <summary>
    /// The group's own channels (not <c>P@other</c> companions) that the gateway's dead-sensor rule
    /// reports dead, with the time of the row after their last valid value (the rule's "dead
    /// since"), earliest first. A channel never valid in the group is missing, not dead.
    /// </summary>
    public static List<(string? Channel, double Since)> DeadChannels(Dataset ds, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(rows);
        var dead = new List<(string?, double)>();
        if (rows.Length == 0 || !ds.Roles.Gaps)
        {
            return dead;
        }

        var lastTime = ds.Time[rows[^1]];
        for (var c = 0; c < ds.Channels.Length; c++)
        {
            if (EngineSplit.IsCompanion(ds.Roles.Channels[c]))
            {
                continue;
            }

            var last = Array.FindLastIndex(rows, r => !double.IsNaN(ds.Channels[c][r]));
            if (last >= 0 && last + 1 < rows.Length && DeadChannelRule.IsSilentLongEnough(TimeSpan.FromSeconds(lastTime - ds.Time[rows[last]])))
            {
                dead.Add((ds.Roles.Channels[c], ds.Time[rows[last + 1]]));
            }
        }

        return [.. dead.OrderBy(d => d.Item2).ThenBy(d => d.Item1, StringComparer.Ordinal)];
    }

    /// <summary>Precision-recall points of raw scores against row labels (thresholds at each distinct score).</summary>
    public static List<(double Recall, double Precision, double Threshold)> PrCurve(double[] scores, int[] labels, Func<int, bool> include)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(include);
        var items = Enumerable.Range(0, scores.Length).Where(r => include(r) && !double.IsNaN(scores[r]))
            .Select(r => (Score: scores[r], Label: labels[r])).OrderByDescending(x => x.Score).ToArray();
        var positives = items.Count(x => x.Label == 1);
        var curve = new List<(double, double, double)>();
        if (positives == 0)
        {
            return curve;
        }

        var tp = 0;
        for (var i = 0; i < items.Length; i++)
        {
            tp += items[i].Label;
            if (i + 1 == items.Length || items[i + 1].Score != items[i].Score)
            {
                curve.Add(((double)tp / positives, (double)tp / (i + 1), items[i].Score));
            }
        }

        return curve;
    }
}
