using Microsoft.Extensions.Logging;

namespace EdgeGateway.Uplink;

/// <summary>Source-generated log messages of the uplink; event ids 5000-5099.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "Outbox opened at {Path}: {Depth} messages, {Bytes} bytes, in {ElapsedMs} ms")]
    public static partial void OutboxOpened(ILogger logger, string path, long depth, long bytes, long elapsedMs);

    [LoggerMessage(5001, LogLevel.Error, "Outbox database {Path} is corrupt ({Reason}); moved aside to {MovedTo} and a new one created")]
    public static partial void OutboxCorruptMovedAside(ILogger logger, string path, string reason, string movedTo);

    [LoggerMessage(5002, LogLevel.Warning, "Outbox budget of {MaxBytes} bytes reached: dropped {Count} oldest {Class} messages")]
    public static partial void OutboxDropped(ILogger logger, long maxBytes, int count, string @class);

    [LoggerMessage(5003, LogLevel.Warning, "Outbox budget of {MaxBytes} bytes reached: refused a new {Class} message of {Size} bytes")]
    public static partial void OutboxRejected(ILogger logger, long maxBytes, string @class, long size);

    [LoggerMessage(5004, LogLevel.Information, "Outbox expired {Count} {Class} messages older than their time-to-live")]
    public static partial void OutboxExpired(ILogger logger, int count, string @class);

    [LoggerMessage(5005, LogLevel.Error, "Outbox write batch of {Count} requests failed")]
    public static partial void OutboxWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(5006, LogLevel.Warning, "Outbox skipped time-to-live expiry: the wall clock reads {Now:o}, which is before {Minimum:o}")]
    public static partial void OutboxClockImplausible(ILogger logger, DateTimeOffset now, DateTimeOffset minimum);

    [LoggerMessage(5010, LogLevel.Information, "Connected to {Broker} as {ClientId} (session present: {SessionPresent}); {Backlog} messages waiting")]
    public static partial void Connected(ILogger logger, string broker, string clientId, bool sessionPresent, long backlog);

    [LoggerMessage(5011, LogLevel.Warning, "Connecting to {Broker} failed (attempt {Attempt}); retrying in {DelayMs} ms: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string broker, int attempt, long delayMs, string reason);

    [LoggerMessage(5012, LogLevel.Warning, "Connection to {Broker} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string broker, string reason);

    [LoggerMessage(5013, LogLevel.Warning, "No ping response from {Broker} within {TimeoutMs} ms; treating the connection as half-open")]
    public static partial void HalfOpen(ILogger logger, string broker, long timeoutMs);

    [LoggerMessage(5014, LogLevel.Error, "Broker refused message {MessageId} on {Topic}: {ReasonCode} {ReasonString}; it stays in the outbox and is retried after reconnect")]
    public static partial void PublishRefused(ILogger logger, Guid messageId, string topic, string reasonCode, string? reasonString);

    [LoggerMessage(5015, LogLevel.Information, "Uplink stopped; {Backlog} messages remain in the outbox")]
    public static partial void Stopped(ILogger logger, long backlog);

    [LoggerMessage(5016, LogLevel.Error, "Uplink supervisor failed unexpectedly; restarting the connection")]
    public static partial void SupervisorFailed(ILogger logger, Exception exception);

    [LoggerMessage(5020, LogLevel.Information, "Embedded MQTT broker listening on 127.0.0.1:{Port}")]
    public static partial void EmbeddedBrokerStarted(ILogger logger, int port);
}
