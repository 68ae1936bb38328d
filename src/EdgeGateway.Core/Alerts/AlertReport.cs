namespace EdgeGateway.Core.Alerts;

/// <summary>
/// A finding handed to <see cref="AlertBoard.Report"/> by any source (anomaly scoring,
/// exceedance checks, RUL, data quality, drift). The board turns it into a new alert or updates
/// the alert that already exists for the same <see cref="Cause"/>.
/// </summary>
public sealed record AlertReport
{
    /// <summary>Longest crew text accepted; the display shows 80 characters, the crew page more.</summary>
    public const int MaxTextLength = 160;

    /// <summary>Creates a report.</summary>
    /// <param name="cause">What the alert is about; decides its id.</param>
    /// <param name="severity">How urgent.</param>
    /// <param name="text">Plain words for the crew, for example "ENG 2 vibration trend: inspect before next departure".</param>
    /// <param name="evidence">Why, as data.</param>
    public AlertReport(AlertCause cause, AlertSeverity severity, string text, AlertEvidence evidence)
    {
        Cause = cause;
        Severity = severity;
        Text = text;
        Evidence = evidence;
    }

    /// <summary>What the alert is about.</summary>
    public AlertCause Cause { get; init; }

    /// <summary>How urgent.</summary>
    public AlertSeverity Severity { get; init; }

    /// <summary>Plain words for the crew.</summary>
    public string Text { get; init; }

    /// <summary>Why, as data.</summary>
    public AlertEvidence Evidence { get; init; }

    /// <summary>Who it is for; null takes the source's default (drift is maintenance-only, the rest crew).</summary>
    public AlertAudience? Audience { get; init; }

    /// <summary>Checks the report; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Cause);
        ArgumentNullException.ThrowIfNull(Evidence);
        ArgumentNullException.ThrowIfNull(Text);
        if (!Enum.IsDefined(Severity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Severity), Severity, "unknown severity");
        }

        if (Audience is AlertAudience a && !Enum.IsDefined(a))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Audience), a, "unknown audience");
        }

        if (string.IsNullOrWhiteSpace(Text) || Text.Length > MaxTextLength || Text.Any(char.IsControl))
        {
            ThrowHelper.ThrowArgument(nameof(Text), $"alert text must be 1-{MaxTextLength} characters on one line (was \"{Text}\")");
        }

        Evidence.Validate();
    }
}
