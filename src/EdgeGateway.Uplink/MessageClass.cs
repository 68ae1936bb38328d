namespace EdgeGateway.Uplink;

/// <summary>
/// Priority class of an uplink message. Lower values are published first and dropped last.
/// The numeric values are stored in the outbox database: never renumber them.
/// </summary>
public enum MessageClass
{
    /// <summary>An alert raised for the ground crew; published before anything else, never dropped to make room for lower classes.</summary>
    Alert = 0,

    /// <summary>A per-flight engine summary.</summary>
    Summary = 1,

    /// <summary>Low-value periodic data; first to be dropped at the disk budget and first to go stale.</summary>
    Telemetry = 2,
}

/// <summary>Helpers for <see cref="MessageClass"/>.</summary>
public static class MessageClasses
{
    /// <summary>Every class in priority order (highest first).</summary>
    public static IReadOnlyList<MessageClass> All { get; } = [MessageClass.Alert, MessageClass.Summary, MessageClass.Telemetry];

    /// <summary>Number of classes; class values are 0..Count-1.</summary>
    public const int Count = 3;

    /// <summary>The lower-case name used in topics and JSON (<c>alert</c>, <c>summary</c>, <c>telemetry</c>).</summary>
    public static string ToWireName(this MessageClass messageClass) => messageClass switch
    {
        MessageClass.Alert => "alert",
        MessageClass.Summary => "summary",
        MessageClass.Telemetry => "telemetry",
        _ => throw new ArgumentOutOfRangeException(nameof(messageClass), messageClass, "Unknown message class."),
    };
}
