namespace EdgeGateway.Core.Alerts;

/// <summary>What found the problem. Part of an alert's cause, so part of its id.</summary>
public enum AlertSource
{
    /// <summary>An anomaly episode from the anomaly model (debounced scores).</summary>
    AnomalyEpisode = 1,

    /// <summary>A hard limit held beyond its duration, independent of any model.</summary>
    Exceedance = 2,

    /// <summary>The remaining-useful-life estimate fell below the configured number of cycles.</summary>
    RemainingUsefulLife = 3,

    /// <summary>A data-quality failure: a dead, stuck or missing sensor.</summary>
    DataQuality = 4,

    /// <summary>A model input drifted from its training baseline: a maintenance-system notice.</summary>
    Drift = 5,
}

/// <summary>How urgent an alert is. Ordered: a larger value is more severe.</summary>
public enum AlertSeverity
{
    /// <summary>For information; shown on the display, no lamp, no buzzer.</summary>
    Advisory = 0,

    /// <summary>Needs a look before the next departure; amber lamp and buzzer.</summary>
    Caution = 1,

    /// <summary>Needs action now; red lamp and buzzer.</summary>
    Warning = 2,
}

/// <summary>Who an alert is for.</summary>
public enum AlertAudience
{
    /// <summary>Annunciated to the ground crew (lamps, buzzer, display, crew page) and sent to maintenance.</summary>
    Crew = 0,

    /// <summary>Sent to the maintenance system only; never lights a lamp.</summary>
    MaintenanceOnly = 1,
}

/// <summary>Where an alert is in its life: raised, then acknowledged, then cleared.</summary>
public enum AlertState
{
    /// <summary>Raised and not yet acknowledged.</summary>
    Raised = 0,

    /// <summary>Acknowledged by someone; still active until cleared.</summary>
    Acknowledged = 1,

    /// <summary>Cleared: no longer active. Terminal.</summary>
    Cleared = 2,
}

/// <summary>How an alert was acknowledged.</summary>
public enum AcknowledgeChannel
{
    /// <summary>The acknowledge button on the gate panel.</summary>
    Button = 0,

    /// <summary>The crew page on a tablet.</summary>
    CrewPage = 1,

    /// <summary>The local HTTP API (maintenance tools).</summary>
    LocalApi = 2,
}
