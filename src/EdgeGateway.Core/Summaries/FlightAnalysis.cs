namespace EdgeGateway.Core.Summaries;

/// <summary>Which model packages the landing ran with.</summary>
/// <param name="Degraded">True when no model ran: exceedance checks only.</param>
/// <param name="Status">One line for a person.</param>
/// <param name="Packages">Per package folder: what the loader did.</param>
/// <param name="ExceedanceLimits">Limits file used (name of the file and engine type), or null when none matched the engine type.</param>
public sealed record ModelRunSummary(bool Degraded, string Status, IReadOnlyList<PackageRunSummary> Packages, string? ExceedanceLimits);

/// <summary>A model package as the loader saw it.</summary>
/// <param name="Folder">Package folder name.</param>
/// <param name="Kind"><c>anomaly</c>, <c>rul</c>, or null when the manifest was unreadable.</param>
/// <param name="Loaded">True when the package ran.</param>
/// <param name="Message">"ok", or why it was refused.</param>
public sealed record PackageRunSummary(string Folder, string? Kind, bool Loaded, string Message);

/// <summary>An exceedance: a limit held beyond its duration.</summary>
/// <param name="EnginePosition">Engine position.</param>
/// <param name="Serial">Engine serial, or null.</param>
/// <param name="Limit">Limit name.</param>
/// <param name="Parameter">Parameter.</param>
/// <param name="Grade"><c>caution</c> or <c>warning</c>.</param>
/// <param name="Direction"><c>above</c> or <c>below</c>.</param>
/// <param name="Threshold">Threshold.</param>
/// <param name="Unit">Unit.</param>
/// <param name="HoldForSeconds">Hold time of the limit.</param>
/// <param name="StartUtc">First second beyond the threshold.</param>
/// <param name="EndUtc">End of the run.</param>
/// <param name="DurationSeconds">Length of the run.</param>
/// <param name="Peak">Most extreme conditioned value.</param>
/// <param name="OpenAtEnd">Still beyond the threshold when the recording ended.</param>
/// <param name="Provenance"><c>public</c> or <c>placeholder</c> limit.</param>
public sealed record ExceedanceSummary(int EnginePosition, string? Serial, string Limit, string Parameter, string Grade, string Direction, double Threshold, string Unit, double HoldForSeconds, DateTimeOffset StartUtc, DateTimeOffset EndUtc, double DurationSeconds, double Peak, bool OpenAtEnd, string Provenance);

/// <summary>Anomaly scoring of one engine.</summary>
/// <param name="EnginePosition">Engine position.</param>
/// <param name="Serial">Engine serial, or null.</param>
/// <param name="Model">Package id.</param>
/// <param name="WindowsScored">Windows scored.</param>
/// <param name="WindowsSkipped">Windows not scored because they held a gap or a missing channel of the engine's own.</param>
/// <param name="MaxScore">Highest score, null when nothing was scored.</param>
/// <param name="Threshold">Decision threshold.</param>
/// <param name="WindowsWithStandIn">Of the windows scored, those whose inputs of the other engine had a gap and were stood in for by this engine's own (<see cref="Models.OtherEngineStandIn"/>): scored on the engine alone.</param>
public sealed record AnomalyScoringSummary(int EnginePosition, string? Serial, string Model, long WindowsScored, long WindowsSkipped, double? MaxScore, double Threshold, long WindowsWithStandIn = 0);

/// <summary>An anomaly episode. A window's time is the grid time of its last sample (the model lab stamps scores the same way).</summary>
/// <param name="EnginePosition">Engine position.</param>
/// <param name="Serial">Engine serial, or null.</param>
/// <param name="Model">Package id.</param>
/// <param name="FirstAbnormalUtc">Start of the first above-threshold window of the run that raised it.</param>
/// <param name="RaisedUtc">Time of the window whose score raised it (the moment the box alerts).</param>
/// <param name="ClearedUtc">Time of the window that cleared it (or of the last scored window).</param>
/// <param name="OpenAtEnd">Still open when the recording ended.</param>
/// <param name="PeakScore">Highest window score.</param>
/// <param name="PeakWindowStartUtc">Start of the peak window.</param>
/// <param name="Windows">Windows scored in the episode.</param>
/// <param name="Channels">Channels that explain the peak, largest contribution first.</param>
/// <param name="RaisedAloneScore">
/// Score of the window that raised the episode with the other engine's inputs replaced by this
/// engine's own (the engine alone); at or below the threshold, the comparison with the other engine
/// raised it. Null when the model reads no input of the other engine.
/// </param>
public sealed record EpisodeSummary(int EnginePosition, string? Serial, string Model, DateTimeOffset FirstAbnormalUtc, DateTimeOffset RaisedUtc, DateTimeOffset ClearedUtc, bool OpenAtEnd, double PeakScore, DateTimeOffset PeakWindowStartUtc, int Windows, IReadOnlyList<ChannelContributionSummary> Channels, double? RaisedAloneScore = null);

/// <summary>A channel's share of an episode's peak score (score drop when the channel is set to its training mean).</summary>
/// <param name="Channel">Model input.</param>
/// <param name="Contribution">Score drop.</param>
public sealed record ChannelContributionSummary(string Channel, double Contribution);

/// <summary>Remaining useful life of one engine after this landing.</summary>
/// <param name="EnginePosition">Engine position.</param>
/// <param name="Serial">Engine serial, or null (no history without it).</param>
/// <param name="Model">Package id, or null without a RUL package.</param>
/// <param name="HistoryCycles">Snapshot rows in the engine's history after this landing.</param>
/// <param name="SnapshotTaken">True when this landing had a stable-cruise window and added a row.</param>
/// <param name="EstimateCycles">Estimated remaining cycles, null when not estimated.</param>
/// <param name="AlertBelowCycles">Configured alert level.</param>
/// <param name="Status">Why no estimate, or "ok".</param>
public sealed record RulSummary(int EnginePosition, string? Serial, string? Model, int HistoryCycles, bool SnapshotTaken, double? EstimateCycles, double AlertBelowCycles, string Status);

/// <summary>Drift of one model input on one engine.</summary>
/// <param name="EnginePosition">Engine position.</param>
/// <param name="Model">Package id.</param>
/// <param name="Channel">Model input.</param>
/// <param name="Values">Values counted.</param>
/// <param name="Psi">Population stability index, null when no value was counted.</param>
/// <param name="Mean">Landing mean, null when no value.</param>
/// <param name="BaselineMean">Training mean.</param>
/// <param name="Notice">Above the notice threshold: a maintenance notice.</param>
public sealed record DriftSummary(int EnginePosition, string Model, string Channel, long Values, double? Psi, double? Mean, double BaselineMean, bool Notice);

/// <summary>An alert the landing raised.</summary>
/// <param name="Id">Stable alert id.</param>
/// <param name="Source"><c>AnomalyEpisode</c>, <c>Exceedance</c>, <c>RemainingUsefulLife</c>, <c>DataQuality</c> or <c>Drift</c>.</param>
/// <param name="Severity"><c>Advisory</c>, <c>Caution</c> or <c>Warning</c>.</param>
/// <param name="Audience"><c>Crew</c> or <c>MaintenanceOnly</c>.</param>
/// <param name="EnginePosition">Engine position.</param>
/// <param name="Serial">Engine serial (<c>UNKNOWN</c> when the bus never told it).</param>
/// <param name="Parameter">Parameter.</param>
/// <param name="Text">Plain words.</param>
/// <param name="AtUtc">Data time the finding was complete (when a live box would have raised it).</param>
/// <param name="WindowStartUtc">Evidence window start.</param>
/// <param name="WindowEndUtc">Evidence window end.</param>
/// <param name="Channels">Evidence channels.</param>
/// <param name="Observed">Observed value.</param>
/// <param name="Reference">Reference value.</param>
/// <param name="Unit">Unit.</param>
/// <param name="Detail">Detail for maintenance.</param>
public sealed record AlertSummary(string Id, string Source, string Severity, string Audience, int EnginePosition, string Serial, string Parameter, string Text, DateTimeOffset AtUtc, DateTimeOffset WindowStartUtc, DateTimeOffset WindowEndUtc, IReadOnlyList<string> Channels, double? Observed, double? Reference, string? Unit, string? Detail);
