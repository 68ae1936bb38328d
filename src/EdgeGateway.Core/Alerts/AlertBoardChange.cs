namespace EdgeGateway.Core.Alerts;

/// <summary>What happened to an alert on the board.</summary>
public enum AlertChangeKind
{
    /// <summary>A new occurrence was raised.</summary>
    Raised = 0,

    /// <summary>A repeat of an active alert: count, last-seen time and evidence changed.</summary>
    Repeated = 1,

    /// <summary>A repeat at a higher severity: the alert is raised again (unacknowledged).</summary>
    Escalated = 2,

    /// <summary>The alert was acknowledged.</summary>
    Acknowledged = 3,

    /// <summary>The alert was cleared.</summary>
    Cleared = 4,

    /// <summary>A report arrived within the re-raise hold-off after a clear and was held back.</summary>
    Suppressed = 5,
}

/// <summary>One change on an <see cref="AlertBoard"/>, delivered by <see cref="AlertBoard.Changed"/>.</summary>
public sealed class AlertBoardChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public AlertBoardChangedEventArgs(AlertChangeKind kind, Alert alert, Alert? previous, long version)
    {
        Kind = kind;
        Alert = alert;
        Previous = previous;
        Version = version;
    }

    /// <summary>What happened.</summary>
    public AlertChangeKind Kind { get; }

    /// <summary>The alert after the change.</summary>
    public Alert Alert { get; }

    /// <summary>The alert before the change; null when it was raised.</summary>
    public Alert? Previous { get; }

    /// <summary>The board's version after the change; versions of successive changes increase by one.</summary>
    public long Version { get; }
}

/// <summary>The outcome of <see cref="AlertBoard.Report"/>.</summary>
/// <param name="Kind">Raised, Repeated, Escalated or Suppressed.</param>
/// <param name="Alert">The alert as it is on the board after the report.</param>
public readonly record struct AlertReportOutcome(AlertChangeKind Kind, Alert Alert);
