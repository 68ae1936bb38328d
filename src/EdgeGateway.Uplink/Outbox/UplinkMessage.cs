namespace EdgeGateway.Uplink;

/// <summary>
/// What a caller hands to <see cref="Outbox.EnqueueAsync"/>: the class, the aircraft and engines the message is
/// about, and a body that becomes the envelope's <c>body</c> property unchanged.
/// </summary>
/// <param name="Class">Priority class; decides topic, publish order, drop order and time-to-live.</param>
/// <param name="Tail">Aircraft registration (tail number), e.g. <c>G-EZAB</c>.</param>
/// <param name="EngineSerials">Engine serial numbers the message concerns (may be empty).</param>
/// <param name="Body">Exactly one UTF-8 JSON value (usually an object); validated at enqueue.</param>
public sealed record UplinkMessage(MessageClass Class, string Tail, IReadOnlyList<string> EngineSerials, ReadOnlyMemory<byte> Body);

/// <summary>Outcome of <see cref="Outbox.EnqueueAsync"/>.</summary>
public enum EnqueueOutcome
{
    /// <summary>Committed to disk; the message will be published unless the documented drop policy removes it.</summary>
    Stored = 0,

    /// <summary>Refused by the disk budget (nothing of lower or equal droppable class was left to drop); counted as a drop.</summary>
    RejectedOverBudget = 1,
}

/// <summary>Result of <see cref="Outbox.EnqueueAsync"/>.</summary>
/// <param name="Outcome">Whether the message was stored.</param>
/// <param name="MessageId">The message id, stable across retries; the backend de-duplicates on it.</param>
/// <param name="Sequence">Outbox sequence number (0 when not stored); strictly increasing, never reused.</param>
public readonly record struct EnqueueResult(EnqueueOutcome Outcome, Guid MessageId, long Sequence);

/// <summary>A stored message as read back for publishing.</summary>
/// <param name="Sequence">Outbox sequence number; publish order within a class.</param>
/// <param name="Class">Priority class.</param>
/// <param name="MessageId">Stable message id.</param>
/// <param name="CreatedUtc">Wall-clock time of enqueue (may be wrong on a box that booted with a bad clock).</param>
/// <param name="Tail">Aircraft registration.</param>
/// <param name="EngineSerialsJson">Engine serials as a JSON array text, written into the envelope as is.</param>
/// <param name="Body">The caller's JSON body (UTF-8).</param>
public sealed record OutboxEntry(long Sequence, MessageClass Class, Guid MessageId, DateTimeOffset CreatedUtc, string Tail, string EngineSerialsJson, byte[] Body);

/// <summary>A point-in-time view of the outbox, as reported in the status message.</summary>
/// <param name="Depth">Stored messages per class, indexed by <see cref="MessageClass"/>.</param>
/// <param name="Bytes">Budgeted bytes in use (see <see cref="OutboxOptions.MaxOutboxBytes"/>).</param>
/// <param name="MaxBytes">The configured budget.</param>
/// <param name="Dropped">Messages dropped by the disk budget per class since the database was created (cumulative).</param>
/// <param name="Expired">Messages removed by time-to-live per class since the database was created (cumulative).</param>
/// <param name="MaxSequence">Highest sequence number ever assigned.</param>
/// <param name="CorruptFilesMovedAside">Paths of corrupt database files that were renamed instead of deleted.</param>
public sealed record OutboxStatistics(
    IReadOnlyList<long> Depth,
    long Bytes,
    long MaxBytes,
    IReadOnlyList<long> Dropped,
    IReadOnlyList<long> Expired,
    long MaxSequence,
    IReadOnlyList<string> CorruptFilesMovedAside)
{
    /// <summary>Total stored messages.</summary>
    public long TotalDepth => Depth.Sum();

    /// <summary>Total drops over all classes.</summary>
    public long TotalDropped => Dropped.Sum();
}
