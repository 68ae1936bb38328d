using System.Collections.Immutable;
using System.Globalization;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Exceedances;
using EdgeGateway.Core.Models;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Inference;
using EdgeGateway.Inference.Drift;
using EdgeGateway.Inference.Packages;
using EdgeGateway.Inference.Rul;
using EdgeGateway.Inference.Scoring;

namespace EdgeGateway.Landing;

/// <summary>What a landing is analysed with; every part may be absent. Disposing closes the models and the history.</summary>
public sealed class AnalysisSetup : IDisposable
{
    /// <summary>Model packages in use; null or empty = degraded (exceedances only).</summary>
    public ModelSet? Models { get; init; }

    /// <summary>Exceedance limits of the table's engine type; null = no exceedance checks.</summary>
    public ExceedanceLimitSet? Limits { get; init; }

    /// <summary>Engine history for RUL; null = no snapshots, no RUL.</summary>
    public EngineHistory? History { get; init; }

    /// <summary>Inference settings (thread counts, batch, thresholds).</summary>
    public InferenceOptions Options { get; init; } = new();

    /// <inheritdoc/>
    public void Dispose()
    {
        Models?.Dispose();
        History?.Dispose();
    }
}

/// <summary>
/// Everything a landing is checked for beyond its statistics, fed with conditioned grid samples
/// (<see cref="IConditionedSink"/>): exceedances (always, when limits exist), anomaly windows per
/// engine, drift of the anomaly model's inputs, the RUL snapshot, and data-quality findings (a
/// channel that dies, one stuck at a constant, one never seen). <see cref="Complete"/> adds the
/// findings and the alerts they raise to the summary.
/// </summary>
/// <remarks>
/// Live raising (<see cref="RaiseLive"/>): an exceedance whose hold time is satisfied, an anomaly
/// episode the debounce raises and a channel stuck for <see cref="StuckAfter"/> are reported the
/// moment the grid point that decides them is conditioned, with the same <see cref="AlertCause"/>
/// (so the same alert id) and the same data-time stamp as the report <see cref="Complete"/> makes
/// for that finding; the end-of-landing report then updates the alert already on the board. Dead
/// and missing channels are only known at the end. An anomaly alert's cause names the channel that
/// explains the raising windows (the evidence keeps the channels explaining the episode's peak).
/// </remarks>
public sealed class LandingAnalysis : IConditionedSink, IDisposable
{
    /// <summary>A channel silent for this long before the end of the recording is reported dead (<see cref="DeadChannelRule"/>, which the model lab's evaluation applies too).</summary>
    public static readonly TimeSpan DeadAfter = DeadChannelRule.DeadAfter;

    /// <summary>A channel repeating exactly one value for this long, after it had varied, is reported stuck.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(300);

    private readonly LabelTable _table;
    private readonly AnalysisSetup _setup;
    private readonly TimeSpan _period;
    private readonly ExceedanceDetector? _exceedances;
    private readonly int[][] _exceedanceSlots;
    private readonly AnomalyScorer?[] _scorers;
    private readonly DriftMonitor?[] _drift;
    private readonly SnapshotBuilder?[] _snapshots;
    private readonly RulEstimator? _rul;
    private readonly int[] _scorerColumn;
    private readonly int[] _companionColumn;
    private readonly int[] _driftIndex;
    private readonly int[] _snapshotColumn;
    private readonly ChannelHealth[] _health;
    private readonly long _stuckSamples;
    private readonly Dictionary<(int Engine, long RaisedEnd), string> _raisedBy = [];
    private Live? _live;
    private long _lastGridIndex = -1;

    /// <summary>Creates the analysis of one landing decoded with <paramref name="table"/> on a grid of <paramref name="period"/>.</summary>
    public LandingAnalysis(LabelTable table, AnalysisSetup setup, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(setup);
        _table = table;
        _setup = setup;
        _period = period;
        int engines = Math.Max(1, table.Info.EngineCount);
        int n = table.Channels.Length;
        _exceedances = setup.Limits is { } limits ? new ExceedanceDetector(limits, engines, period) : null;
        _exceedanceSlots = new int[n][];
        _scorers = new AnomalyScorer?[engines + 1];
        _drift = new DriftMonitor?[engines + 1];
        _snapshots = new SnapshotBuilder?[engines + 1];
        _scorerColumn = new int[n];
        _companionColumn = new int[n];
        _driftIndex = new int[n];
        _snapshotColumn = new int[n];
        _health = new ChannelHealth[n];
        _stuckSamples = (long)(StuckAfter / period);
        var anomaly = setup.Models?.Anomaly;
        if (setup.Models?.Rul is { } rulPackage)
        {
            _rul = new RulEstimator(rulPackage);
        }

        int windowSamples = (int)Math.Max(1, setup.Options.SnapshotWindow / period);

        // Inputs named P@other are parameter P of the aircraft's other engine: defined for two engines.
        if (anomaly is not null && anomaly.Manifest.Input.Channels.FirstOrDefault(AnomalyScorer.IsOtherEngineInput) is { } companion && table.Info.EngineCount != 2)
        {
            AnomalyNotScored = $"{anomaly.Id} not scored: its input {companion} is the other engine's, and {table.Info.AircraftType} has {table.Info.EngineCount} engine(s), not 2";
            anomaly = null;
        }

        for (int e = 1; e <= engines; e++)
        {
            if (anomaly is not null)
            {
                int engine = e;
                _scorers[e] = new AnomalyScorer(anomaly, setup.Options) { EpisodeRaised = f => OnEpisodeRaised(engine, f) };
                _drift[e] = new DriftMonitor(anomaly.Manifest.Baselines, setup.Options.DriftNoticePsi);
            }

            if (_rul is not null && setup.History is not null)
            {
                _snapshots[e] = new SnapshotBuilder(_rul.Parameters, RulInputMap.StabilityParameters, windowSamples, setup.Options.SnapshotStability);
            }
        }

        foreach (var c in table.Channels)
        {
            int e = c.EnginePosition;
            _exceedanceSlots[c.Id] = e > 0 && _exceedances is not null ? _exceedances.SlotsFor(e, c.Parameter) : [];
            _scorerColumn[c.Id] = e > 0 && _scorers[e] is { } s ? s.ColumnOf(c.Parameter) : -1;
            _companionColumn[c.Id] = engines == 2 && e is 1 or 2 && _scorers[3 - e] is { } other ? other.ColumnOf(c.Parameter + AnomalyScorer.OtherEngineSuffix) : -1;
            _driftIndex[c.Id] = e > 0 && _drift[e] is { } d ? d.IndexOf(c.Parameter) : -1;
            _snapshotColumn[c.Id] = e > 0 && _snapshots[e] is { } b ? b.Columns.ToList().IndexOf(c.Parameter) : -1;
            _health[c.Id].LastValid = -1;
            _health[c.Id].RunStart = -1;
        }
    }

    /// <inheritdoc/>
    public void OnConditioned(int channelId, long firstGridIndex, ReadOnlySpan<float> values)
    {
        var channel = _table.Channels[channelId];
        int e = channel.EnginePosition;
        if (_exceedanceSlots[channelId].Length > 0)
        {
            _exceedances!.Add(_exceedanceSlots[channelId], firstGridIndex, values);
        }

        if (_scorerColumn[channelId] >= 0)
        {
            _scorers[e]!.Append(_scorerColumn[channelId], firstGridIndex, values);
        }

        if (_companionColumn[channelId] >= 0)
        {
            _scorers[3 - e]!.Append(_companionColumn[channelId], firstGridIndex, values);
        }

        if (_driftIndex[channelId] >= 0)
        {
            _drift[e]!.Add(_driftIndex[channelId], values);
        }

        if (_snapshotColumn[channelId] >= 0)
        {
            _snapshots[e]!.Append(_snapshotColumn[channelId], firstGridIndex, values);
        }

        if (_health[channelId].Add(firstGridIndex, values, _stuckSamples) && _live is not null && e > 0)
        {
            ref var h = ref _health[channelId];
            Raise(StuckReport(channel, _live.SerialOf(e), h.RaisedRunStart, _stuckSamples, h.RaisedValue, _live.Clock));
        }

        _lastGridIndex = Math.Max(_lastGridIndex, firstGridIndex + values.Length - 1);
    }

    /// <summary>
    /// Waits for anomaly batches still being scored in the background and gives the scorers' lanes
    /// back to their package; for a landing abandoned before <see cref="Complete"/>, harmless after it.
    /// </summary>
    public void Dispose()
    {
        foreach (var scorer in _scorers)
        {
            scorer?.Dispose();
        }
    }

    /// <summary>
    /// Live: scores the anomaly windows completed so far instead of waiting for a full batch, so an
    /// episode is raised as soon as its window is conditioned. Scores are the same bits as a replay's.
    /// </summary>
    public void Flush()
    {
        foreach (var scorer in _scorers)
        {
            scorer?.Flush();
        }
    }

    /// <summary>
    /// Reports alerts during the landing, as their findings are decided, to <paramref name="raise"/>
    /// (data time of the deciding grid point, report); call once, before the first frame. Grid
    /// indices map to time with <paramref name="processor"/>'s clock from
    /// <paramref name="recordingStartUtc"/>, and engine serials are the ones the bus has told so far.
    /// <paramref name="raise"/> runs on the thread processing frames and must be quick.
    /// </summary>
    public void RaiseLive(LandingProcessor processor, DateTimeOffset recordingStartUtc, Action<DateTimeOffset, AlertReport> raise)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(raise);
        var live = _live = new Live(processor, recordingStartUtc, _period, raise);
        if (_exceedances is not null)
        {
            _exceedances.Opened = f => Raise(ExceedanceReport(f, live.SerialOf(f.EnginePosition), live.Clock).Report);
        }
    }

    /// <summary>Why the anomaly package in the setup does not score this landing, or null when it does (or there is none).</summary>
    public string? AnomalyNotScored { get; }

    /// <summary>The alert reports of the last <see cref="Complete"/>, in data-time order, for a live alert board.</summary>
    public IReadOnlyList<(DateTimeOffset At, AlertReport Report)> Reports { get; private set; } = [];

    /// <summary>Adds the findings and alerts to <paramref name="summary"/>; <paramref name="clock"/> maps grid indices to time.</summary>
    public FlightSummary Complete(FlightSummary summary, GridClock clock)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var serials = summary.Engines.ToDictionary(x => x.Position, x => x.Serial);
        string? SerialOf(int position) => serials.GetValueOrDefault(position);
        var reports = new List<(DateTimeOffset At, AlertReport Report)>();

        // Exceedances.
        var exceedances = new List<ExceedanceSummary>();
        foreach (var f in _exceedances?.Complete() ?? [])
        {
            var (s, report) = ExceedanceReport(f, SerialOf(f.EnginePosition), clock);
            exceedances.Add(s);
            reports.Add(report);
        }

        // Anomaly scoring and drift.
        var scoring = new List<AnomalyScoringSummary>();
        var episodes = new List<EpisodeSummary>();
        var drift = new List<DriftSummary>();
        for (int e = 1; e < _scorers.Length; e++)
        {
            if (_scorers[e] is not { } scorer)
            {
                continue;
            }

            string model = scorer.Package.Id;
            double threshold = scorer.Package.Manifest.Decision!.Threshold;
            var found = scorer.Complete();
            scoring.Add(new AnomalyScoringSummary(e, SerialOf(e), model, scorer.WindowsScored, scorer.WindowsSkipped, double.IsNaN(scorer.MaxScore) ? null : scorer.MaxScore, threshold, scorer.WindowsWithStandIn));
            foreach (var f in found)
            {
                var (ep, report) = EpisodeReport(e, SerialOf(e), scorer, f, clock);
                episodes.Add(ep);
                reports.Add(report);
            }

            foreach (var d in _drift[e]!.Results())
            {
                drift.Add(new DriftSummary(e, model, d.Channel, d.Values, double.IsNaN(d.Psi) ? null : d.Psi, double.IsNaN(d.Mean) ? null : d.Mean, d.BaselineMean, d.Notice));
                if (d.Notice)
                {
                    var cause = new AlertCause(AlertSource.Drift, e, SerialOf(e) ?? UnknownSerial, d.Channel, scorer.Package.Manifest.Name);
                    reports.Add((clock.At(_lastGridIndex + 1), new AlertReport(cause, AlertSeverity.Advisory, Fit($"ENG {e} {d.Channel} differs from the model's training data (PSI {Num(d.Psi)})"), new AlertEvidence
                    {
                        Channels = [$"ENG{e}.{d.Channel}"],
                        WindowStart = summary.StartUtc,
                        WindowEnd = clock.At(_lastGridIndex + 1),
                        Observed = d.Psi,
                        Reference = _setup.Options.DriftNoticePsi,
                        Unit = "PSI",
                        Detail = $"{model}: landing mean {Num(d.Mean)}, training mean {Num(d.BaselineMean)}",
                    })));
                }
            }
        }

        // RUL: snapshot into the history, then the estimate.
        var rul = new List<RulSummary>();
        if (_rul is not null || _setup.History is not null)
        {
            foreach (var engine in summary.Engines)
            {
                rul.Add(Rul(engine.Position, engine.Serial, summary, clock, reports));
            }
        }

        // Data quality: dead, stuck and missing channels.
        foreach (var c in _table.Channels)
        {
            if (c.EnginePosition == 0 || c.Field.Encoding == ArincEncoding.Bcd)
            {
                continue;
            }

            ref var h = ref _health[c.Id];
            string serial = SerialOf(c.EnginePosition) ?? UnknownSerial;
            var all = new AlertEvidence { Channels = [$"ENG{c.EnginePosition}.{c.Parameter}"], WindowStart = summary.StartUtc, WindowEnd = clock.At(_lastGridIndex + 1) };
            if (h.LastValid < 0)
            {
                reports.Add((clock.At(_lastGridIndex + 1), new AlertReport(new AlertCause(AlertSource.DataQuality, c.EnginePosition, serial, c.Parameter, "missing"), AlertSeverity.Advisory,
                    Fit($"ENG {c.EnginePosition} {c.Parameter}: no data this flight; check the sensor and its label"), all with { Detail = "channel never delivered a valid value" })));
                continue;
            }

            if (DeadChannelRule.IsDead(h.LastValid, _lastGridIndex, _period))
            {
                var from = clock.At(h.LastValid + 1);
                reports.Add((from + DeadAfter, new AlertReport(new AlertCause(AlertSource.DataQuality, c.EnginePosition, serial, c.Parameter, "dead"), AlertSeverity.Caution,
                    Fit($"ENG {c.EnginePosition} {c.Parameter} sensor dead since {from:HH:mm:ss}Z: check before next departure"),
                    all with { WindowStart = from, Observed = ((_lastGridIndex - h.LastValid) * _period).TotalSeconds, Unit = "s", Detail = "no valid value until the end of the recording" })));
            }

            if (h.StuckLongest * _period >= StuckAfter)
            {
                reports.Add(StuckReport(c, serial, h.StuckStart, h.StuckLongest, h.StuckValue, clock));
            }
        }

        Reports = [.. reports.OrderBy(r => r.At).ThenBy(r => r.Report.Cause.Id, StringComparer.Ordinal)];
        var alerts = RaiseAll(reports);
        return summary with
        {
            Models = new ModelRunSummary(
                (_setup.Models?.Degraded ?? true) || AnomalyNotScored is not null,
                (_setup.Models?.StatusLine ?? "degraded: no model folder; exceedance checks only") + (AnomalyNotScored is { } why ? "; " + why : string.Empty),
                [.. (_setup.Models?.Statuses ?? []).Select(p => new PackageRunSummary(Path.GetFileName(p.Folder.TrimEnd('/')), p.Kind, p.Loaded, p.Message))],
                _setup.Limits is { } set ? $"{Path.GetFileName(set.SourceFile)} ({set.EngineType})" : null),
            Exceedances = exceedances,
            AnomalyScoring = scoring,
            AnomalyEpisodes = episodes,
            Rul = rul,
            Drift = drift,
            Alerts = alerts,
        };
    }

    private const string UnknownSerial = "UNKNOWN";

    // One builder per finding kind serves the live raise and the end of the landing, so both make the same cause and stamp.
    private (ExceedanceSummary Summary, (DateTimeOffset At, AlertReport Report) Report) ExceedanceReport(ExceedanceFinding f, string? serial, GridClock clock)
    {
        var l = f.Limit;
        var s = new ExceedanceSummary(f.EnginePosition, serial, l.Name, l.Parameter, Lower(l.Grade), Lower(l.Direction), l.Threshold, l.Unit, l.HoldFor.TotalSeconds,
            clock.At(f.Start), clock.At(f.End), ((f.End - f.Start) * _period).TotalSeconds, f.Peak, f.OpenAtEnd, l.Provenance);
        var cause = new AlertCause(AlertSource.Exceedance, f.EnginePosition, serial ?? UnknownSerial, l.Parameter, l.Name);
        var text = Fit($"ENG {f.EnginePosition} {l.Name}: {l.Parameter} {Num(f.Peak)} {l.Unit} {(l.Direction == LimitDirection.Above ? ">" : "<")} {Num(l.Threshold)} for {Num(s.DurationSeconds)} s");
        return (s, (clock.At(f.Start + (long)Math.Ceiling(l.HoldFor / _period)), new AlertReport(cause, l.Grade == LimitGrade.Warning ? AlertSeverity.Warning : AlertSeverity.Caution, text, new AlertEvidence
        {
            Channels = [$"ENG{f.EnginePosition}.{l.Parameter}"],
            WindowStart = s.StartUtc,
            WindowEnd = s.EndUtc,
            Observed = f.Peak,
            Reference = l.Threshold,
            Unit = l.Unit,
            Detail = $"{l.Name} ({l.Grade}, held {Num(l.HoldFor.TotalSeconds)} s, {l.Provenance} limit)",
        })));
    }

    private (EpisodeSummary Summary, (DateTimeOffset At, AlertReport Report) Report) EpisodeReport(int e, string? serial, AnomalyScorer scorer, EpisodeFinding f, GridClock clock)
    {
        string model = scorer.Package.Id;
        double threshold = scorer.Package.Manifest.Decision!.Threshold;
        var ep = new EpisodeSummary(e, serial, model, clock.At(f.FirstAbnormalStart), clock.At(f.RaisedEnd), clock.At(f.ClearedEnd), f.OpenAtEnd, f.PeakScore,
            clock.At(f.PeakWindowStart), f.Windows, [.. f.Channels.Select(c => new ChannelContributionSummary(c.Channel, c.Contribution))], f.RaisedAloneScore);
        string top = _raisedBy.GetValueOrDefault((e, f.RaisedEnd)) ?? (f.Channels.Count > 0 ? f.Channels[0].Channel : "engine");
        var cause = new AlertCause(AlertSource.AnomalyEpisode, e, serial ?? UnknownSerial, top, scorer.Package.Manifest.Name);

        // Raised by the comparison with the other engine (the engine alone scores normal): say so, since
        // a drifting sensor on the other engine looks the same to the comparison as a fault on this one.
        // Models reading the other engine's inputs load only on two-engine aircraft.
        bool compared = f.RaisedAloneScore is double alone && alone <= threshold;
        int other = 3 - e;
        string versus = compared ? $" vs ENG {other}" : string.Empty;
        string aloneDetail = f.RaisedAloneScore is double a
            ? compared
                ? $"; alone {Num(a)} (ENG {other}'s inputs stood in): raised by the comparison with ENG {other}, whose {top} sensor may be the one at fault"
                : $"; alone {Num(a)}: abnormal without ENG {other}'s inputs"
            : string.Empty;
        return (ep, (ep.RaisedUtc, new AlertReport(cause, AlertSeverity.Caution, Fit($"ENG {e} {top} abnormal trend{versus}: inspect before next departure"), new AlertEvidence
        {
            Channels = [.. (f.Channels.Count > 0 ? f.Channels.Select(c => $"ENG{e}.{c.Channel}") : [$"ENG{e}"])],
            WindowStart = ep.FirstAbnormalUtc,
            WindowEnd = ep.ClearedUtc,
            Observed = f.PeakScore,
            Reference = threshold,
            Unit = "score",
            Detail = $"{model}, {f.Windows} window(s), peak at {ep.PeakWindowStartUtc:HH:mm:ss}Z{aloneDetail}",
        })));
    }

    private (DateTimeOffset At, AlertReport Report) StuckReport(Channel c, string? serial, long start, long length, float value, GridClock clock)
    {
        var from = clock.At(start);
        return (from + StuckAfter, new AlertReport(new AlertCause(AlertSource.DataQuality, c.EnginePosition, serial ?? UnknownSerial, c.Parameter, "stuck"), AlertSeverity.Caution,
            Fit($"ENG {c.EnginePosition} {c.Parameter} sensor stuck at {Num(value)} {c.Unit}: check before next departure"),
            new AlertEvidence
            {
                Channels = [$"ENG{c.EnginePosition}.{c.Parameter}"],
                WindowStart = from,
                WindowEnd = clock.At(start + length),
                Observed = value,
                Unit = c.Unit,
                Detail = string.Create(CultureInfo.InvariantCulture, $"same value for {(length * _period).TotalSeconds:0} s after it had varied"),
            }));
    }

    private void OnEpisodeRaised(int engine, EpisodeFinding f)
    {
        // The cause is fixed by the windows that raised the episode, live and at the end alike.
        string top = f.Channels.Count > 0 ? f.Channels[0].Channel : "engine";
        _raisedBy.TryAdd((engine, f.RaisedEnd), top);
        if (_live is not null)
        {
            Raise(EpisodeReport(engine, _live.SerialOf(engine), _scorers[engine]!, f, _live.Clock).Report);
        }
    }

    private void Raise((DateTimeOffset At, AlertReport Report) report) => _live!.Report(report.At, report.Report);

    private RulSummary Rul(int position, string? serial, FlightSummary summary, GridClock clock, List<(DateTimeOffset, AlertReport)> reports)
    {
        double below = _setup.Options.RulAlertBelowCycles;
        string? model = _rul?.Package.Id;
        if (_setup.History is not { } history)
        {
            return new RulSummary(position, serial, model, 0, false, null, below, "no engine history configured");
        }

        if (serial is null)
        {
            return new RulSummary(position, serial, model, 0, false, null, below, "engine serial number not received: history is keyed by serial");
        }

        if (_rul is null || _snapshots[position] is not { } builder)
        {
            return new RulSummary(position, serial, model, history.Count(serial), false, null, below, "no RUL model package");
        }

        var missing = _rul.Parameters.Where(p => _table.FindChannel(position, p) < 0).ToList();
        if (missing.Count > 0)
        {
            return new RulSummary(position, serial, model, history.Count(serial), false, null, below,
                $"label table {_table.Info.Name} carries no {string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? $" (+{missing.Count - 4} more)" : "")} for the RUL model's inputs");
        }

        bool taken = false;
        if (builder.Complete() is { } values)
        {
            taken = history.Add(new EngineSnapshot(serial, summary.Tail, position, summary.FlightId, summary.StartUtc, clock.At(builder.BestWindowStart!.Value), values));
        }

        var estimate = _rul.Estimate(history, serial);
        string status = taken || estimate.Cycles is null ? estimate.Status : "ok (this landing was already in the history)";
        if (!taken && builder.BestWindowStart is null)
        {
            status = "no stable cruise window in this landing; " + estimate.Status;
        }

        if (estimate.Cycles is double cycles && cycles < below)
        {
            var at = clock.At(_lastGridIndex + 1);
            reports.Add((at, new AlertReport(new AlertCause(AlertSource.RemainingUsefulLife, position, serial, "engine", _rul.Package.Manifest.Name), AlertSeverity.Caution,
                Fit($"ENG {position} remaining life about {Num(cycles)} cycles (below {Num(below)}): plan maintenance"),
                new AlertEvidence { Channels = [$"ENG{position}"], WindowStart = summary.StartUtc, WindowEnd = at, Observed = cycles, Reference = below, Unit = "cycles", Detail = $"{_rul.Package.Id} on the last {Math.Min(estimate.HistoryCycles, _rul.Package.Manifest.Input.WindowLength)} snapshots" })));
        }

        return new RulSummary(position, serial, model, estimate.HistoryCycles, taken, estimate.Cycles, below, status);
    }

    private static List<AlertSummary> RaiseAll(List<(DateTimeOffset At, AlertReport Report)> reports)
    {
        // The board stamps with its clock: replay drives that clock with the data's own time, so a
        // replayed landing raises the alerts at the times the live box would have.
        var time = new DataTimeProvider();
        var board = new AlertBoard(time);
        var atOf = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (at, report) in reports.OrderBy(r => r.At).ThenBy(r => r.Report.Cause.Id, StringComparer.Ordinal))
        {
            time.Now = at;
            board.Report(report);
            atOf.TryAdd(report.Cause.Id, at);
        }

        return [.. board.Current.OrderBy(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal).Select(a => new AlertSummary(
            a.Id, a.Source.ToString(), a.Severity.ToString(), a.Audience.ToString(), a.EnginePosition, a.EngineSerial, a.Parameter, a.Text, a.RaisedAt,
            a.FirstEvidence.WindowStart, a.FirstEvidence.WindowEnd, [.. a.FirstEvidence.Channels], a.FirstEvidence.Observed, a.FirstEvidence.Reference, a.FirstEvidence.Unit, a.FirstEvidence.Detail))];
    }

    private static string Fit(string text) => text.Length <= AlertReport.MaxTextLength ? text : text[..AlertReport.MaxTextLength];

    private static string Num(double v) => v.ToString(Math.Abs(v) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private struct ChannelHealth
    {
        public long FirstValid;
        public long LastValid;
        public bool Seen;
        public bool Varied;
        public float First;
        public float RunValue;
        public long RunStart;
        public long RunNext;
        public long StuckLongest;
        public long StuckStart;
        public float StuckValue;

        // The run start and value of the last run that reached stuckSamples in an Add returning true.
        public long RaisedRunStart;
        public float RaisedValue;

        /// <summary>Adds grid values; true when a run reached <paramref name="stuckSamples"/> in them (the moment it counts as stuck).</summary>
        public bool Add(long firstGridIndex, ReadOnlySpan<float> values, long stuckSamples)
        {
            bool raised = false;
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                long index = firstGridIndex + i;
                if (float.IsNaN(v))
                {
                    RunStart = -1;
                    continue;
                }

                if (!Seen)
                {
                    Seen = true;
                    First = v;
                    FirstValid = index;
                }

                Varied |= v != First;
                LastValid = index;
                if (RunStart >= 0 && v == RunValue && index == RunNext)
                {
                    RunNext = index + 1;
                }
                else
                {
                    RunStart = index;
                    RunNext = index + 1;
                    RunValue = v;
                }

                long length = RunNext - RunStart;
                if (length == stuckSamples && (Varied || RunStart > FirstValid))
                {
                    raised = true;
                    RaisedRunStart = RunStart;
                    RaisedValue = RunValue;
                }

                if (length >= stuckSamples && length > StuckLongest && (Varied || RunStart > FirstValid))
                {
                    StuckLongest = length;
                    StuckStart = RunStart;
                    StuckValue = RunValue;
                }
            }

            return raised;
        }
    }

    /// <summary>Where live raises go, with the grid clock and serials as the landing knows them so far.</summary>
    private sealed class Live(LandingProcessor processor, DateTimeOffset recordingStartUtc, TimeSpan period, Action<DateTimeOffset, AlertReport> report)
    {
        // The clock needs the first frame's timestamp, which exists before any grid point does.
        public GridClock Clock => processor.ClockFor(recordingStartUtc, period);

        public string? SerialOf(int position) => processor.Summary.SerialOf(position);

        public void Report(DateTimeOffset at, AlertReport alert) => report(at, alert);
    }

    private sealed class DataTimeProvider : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
