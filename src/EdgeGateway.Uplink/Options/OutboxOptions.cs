namespace EdgeGateway.Uplink;

/// <summary>
/// Settings of the durable outbox (config section <c>Outbox</c>). Validated by <see cref="UplinkOptionsValidator"/>.
/// </summary>
public sealed class OutboxOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Outbox";

    /// <summary>Path of the SQLite database file, normally in the gateway's data folder. Required.</summary>
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>
    /// Disk budget for stored messages, in bytes (body, tail, engine serials and a fixed per-row overhead
    /// of <see cref="Outbox.RowOverheadBytes"/>). Default 256 MiB. At the limit the drop policy in
    /// <c>firmware-config/mqtt-topics-and-payloads.md</c> applies.
    /// </summary>
    public long MaxOutboxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Time-to-live of alerts; <c>null</c> (the default) means alerts never expire.</summary>
    public TimeSpan? AlertTimeToLive { get; set; }

    /// <summary>Time-to-live of summaries. Default 30 days.</summary>
    public TimeSpan? SummaryTimeToLive { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Time-to-live of telemetry. Default 1 day.</summary>
    public TimeSpan? TelemetryTimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most write requests (enqueues and acknowledgements) committed in one transaction. Default 1024.</summary>
    public int MaxWriteBatch { get; set; } = 1024;

    /// <summary>Returns the time-to-live of <paramref name="messageClass"/>; <c>null</c> means never.</summary>
    public TimeSpan? TimeToLive(MessageClass messageClass) => messageClass switch
    {
        MessageClass.Alert => AlertTimeToLive,
        MessageClass.Summary => SummaryTimeToLive,
        MessageClass.Telemetry => TelemetryTimeToLive,
        _ => throw new ArgumentOutOfRangeException(nameof(messageClass), messageClass, "Unknown message class."),
    };
}
