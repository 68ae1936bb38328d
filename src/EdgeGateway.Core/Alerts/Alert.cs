using System.Globalization;

namespace EdgeGateway.Core.Alerts;

/// <summary>Who acknowledged an alert, how and when.</summary>
/// <param name="By">A name or role ("gate panel", a crew member's id from the crew page).</param>
/// <param name="Channel">Button, crew page or local API.</param>
/// <param name="At">Wall-clock stamp from the board's <see cref="TimeProvider"/>.</param>
public sealed record AlertAcknowledgement(string By, AcknowledgeChannel Channel, DateTimeOffset At);

/// <summary>Who cleared an alert and when.</summary>
/// <param name="By">A name or role (maintenance user, "condition ended").</param>
/// <param name="At">Wall-clock stamp from the board's <see cref="TimeProvider"/>.</param>
public sealed record AlertClearance(string By, DateTimeOffset At);

/// <summary>
/// One alert, whatever its source: an immutable snapshot. The state machine is
/// <see cref="AlertState.Raised"/> → <see cref="AlertState.Acknowledged"/> →
/// <see cref="AlertState.Cleared"/>; every other move throws <see cref="AlertStateException"/>,
/// except that a repeat at a higher severity re-raises an acknowledged alert (see
/// <see cref="Repeat"/>), so an escalation is annunciated again.
/// </summary>
public sealed record Alert
{
    private Alert(AlertReport report, DateTimeOffset at)
    {
        Cause = report.Cause;
        Severity = report.Severity;
        Text = report.Text;
        Evidence = report.Evidence;
        FirstEvidence = report.Evidence;
        Audience = report.Audience ?? report.Cause.DefaultAudience;
        State = AlertState.Raised;
        RaisedAt = at;
        LastSeenAt = at;
        Count = 1;
    }

    /// <summary>Stable id from the cause (<see cref="AlertCause.Id"/>): repeats and re-raises share it.</summary>
    public string Id => Cause.Id;

    /// <summary>
    /// Id of this occurrence: <see cref="Id"/>, a dash and the first evidence window's start in Unix
    /// milliseconds. A raise after a clear is a new occurrence; replay gives the same ids.
    /// </summary>
    public string OccurrenceId => string.Create(CultureInfo.InvariantCulture, $"{Id}-{FirstEvidence.WindowStart.ToUnixTimeMilliseconds()}");

    /// <summary>What the alert is about.</summary>
    public AlertCause Cause { get; private init; }

    /// <summary>What found the problem.</summary>
    public AlertSource Source => Cause.Source;

    /// <summary>Engine position on the aircraft.</summary>
    public int EnginePosition => Cause.EnginePosition;

    /// <summary>Engine serial number.</summary>
    public string EngineSerial => Cause.EngineSerial;

    /// <summary>The parameter concerned.</summary>
    public string Parameter => Cause.Parameter;

    /// <summary>How urgent; the highest severity reported for this occurrence.</summary>
    public AlertSeverity Severity { get; private init; }

    /// <summary>Plain words for the crew (latest report).</summary>
    public string Text { get; private init; }

    /// <summary>Evidence of the latest report.</summary>
    public AlertEvidence Evidence { get; private init; }

    /// <summary>Evidence of the report that raised this occurrence.</summary>
    public AlertEvidence FirstEvidence { get; private init; }

    /// <summary>Crew-facing or maintenance-only.</summary>
    public AlertAudience Audience { get; private init; }

    /// <summary>True when the crew is to be told (lamps, buzzer, display, crew page).</summary>
    public bool IsCrewFacing => Audience == AlertAudience.Crew;

    /// <summary>Where the alert is in its life.</summary>
    public AlertState State { get; private init; }

    /// <summary>True while raised or acknowledged.</summary>
    public bool IsActive => State != AlertState.Cleared;

    /// <summary>When this occurrence was raised (wall clock of the board).</summary>
    public DateTimeOffset RaisedAt { get; private init; }

    /// <summary>When the cause was last reported.</summary>
    public DateTimeOffset LastSeenAt { get; private init; }

    /// <summary>How many reports of the cause this occurrence absorbed (1 when first raised).</summary>
    public int Count { get; private init; }

    /// <summary>Reports that arrived after the clear, within the re-raise hold-off, and were held back.</summary>
    public int SuppressedCount { get; private init; }

    /// <summary>Set once acknowledged.</summary>
    public AlertAcknowledgement? Acknowledgement { get; private init; }

    /// <summary>Set once cleared.</summary>
    public AlertClearance? Clearance { get; private init; }

    /// <summary>Raises a new alert from a report.</summary>
    /// <exception cref="ArgumentException">The report is invalid.</exception>
    public static Alert Raise(AlertReport report, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.Validate();
        return new Alert(report, at);
    }

    /// <summary>Raised → Acknowledged.</summary>
    /// <exception cref="AlertStateException">The alert is not in <see cref="AlertState.Raised"/>.</exception>
    public Alert Acknowledge(string by, AcknowledgeChannel channel, DateTimeOffset at)
    {
        RequireWho(by);
        if (State != AlertState.Raised)
        {
            throw new AlertStateException(Id, State, AlertState.Acknowledged);
        }

        return this with { State = AlertState.Acknowledged, Acknowledgement = new AlertAcknowledgement(by, channel, at) };
    }

    /// <summary>Acknowledged → Cleared.</summary>
    /// <exception cref="AlertStateException">
    /// The alert is not acknowledged: a raised alert must be seen by someone before it goes away.
    /// </exception>
    public Alert Clear(string by, DateTimeOffset at)
    {
        RequireWho(by);
        if (State != AlertState.Acknowledged)
        {
            throw new AlertStateException(Id, State, AlertState.Cleared);
        }

        return this with { State = AlertState.Cleared, Clearance = new AlertClearance(by, at) };
    }

    /// <summary>
    /// Folds a repeated report of the same cause into this occurrence: the count goes up, the
    /// latest evidence and text replace the previous ones, the severity only goes up. A repeat at
    /// a higher severity takes an acknowledged alert back to <see cref="AlertState.Raised"/>.
    /// </summary>
    /// <exception cref="AlertStateException">The alert is cleared.</exception>
    /// <exception cref="ArgumentException">The report is invalid or of another cause.</exception>
    public Alert Repeat(AlertReport report, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.Validate();
        if (!report.Cause.Equals(Cause))
        {
            ThrowHelper.ThrowArgument(nameof(report), $"report of cause {report.Cause.Id} cannot repeat alert {Id}");
        }

        if (State == AlertState.Cleared)
        {
            throw new AlertStateException(Id, State, AlertState.Raised);
        }

        bool escalates = report.Severity > Severity;
        return this with
        {
            Count = Count + 1,
            LastSeenAt = at,
            Evidence = report.Evidence,
            Text = report.Text,
            Severity = escalates ? report.Severity : Severity,
            State = escalates ? AlertState.Raised : State,
            Acknowledgement = escalates ? null : Acknowledgement,
        };
    }

    /// <summary>Counts a report held back by the re-raise hold-off (cleared alerts only).</summary>
    internal Alert Suppress() => this with { SuppressedCount = SuppressedCount + 1 };

    private static void RequireWho(string by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (string.IsNullOrWhiteSpace(by))
        {
            ThrowHelper.ThrowArgument(nameof(by), "who acknowledged or cleared must be named");
        }
    }
}
