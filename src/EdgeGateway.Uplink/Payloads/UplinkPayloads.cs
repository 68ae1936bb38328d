using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGateway.Uplink;

/// <summary>
/// A message envelope as the backend sees it (schema in <c>firmware-config/mqtt-topics-and-payloads.md</c>).
/// </summary>
/// <param name="SchemaVersion">Payload schema version, <see cref="UplinkPayloads.SchemaVersion"/>.</param>
/// <param name="MessageId">Stable across retries; de-duplicate on it.</param>
/// <param name="GatewayId">The publishing gateway.</param>
/// <param name="Class">Message class, also the last topic level.</param>
/// <param name="Tail">Aircraft registration.</param>
/// <param name="EngineSerials">Engine serial numbers.</param>
/// <param name="Replayed">True when the message waited in the outbox through an outage or restart.</param>
/// <param name="CreatedUtc">Gateway wall-clock time of enqueue.</param>
/// <param name="Body">The caller's JSON body.</param>
public sealed record UplinkEnvelope(
    int SchemaVersion,
    Guid MessageId,
    string GatewayId,
    MessageClass Class,
    string Tail,
    IReadOnlyList<string> EngineSerials,
    bool Replayed,
    DateTimeOffset CreatedUtc,
    JsonElement Body);

/// <summary>The retained status message (and, with <see cref="Online"/> false and nothing else, the Last Will).</summary>
/// <param name="SchemaVersion">Payload schema version.</param>
/// <param name="GatewayId">The gateway.</param>
/// <param name="Online">True while connected; false in the Last Will and in the goodbye at shutdown.</param>
/// <param name="CreatedUtc">When the status was produced; absent in the Last Will.</param>
/// <param name="Versions">Software and model versions; absent in the Last Will.</param>
/// <param name="Outbox">Outbox depth and budget; absent in the Last Will.</param>
/// <param name="Drops">Cumulative budget drops per class name; absent in the Last Will.</param>
/// <param name="Expired">Cumulative time-to-live expiries per class name; absent in the Last Will.</param>
/// <param name="CorruptFilesMovedAside">Corrupt outbox files renamed (never deleted); absent in the Last Will.</param>
public sealed record GatewayStatus(
    int SchemaVersion,
    string GatewayId,
    bool Online,
    DateTimeOffset? CreatedUtc = null,
    IReadOnlyDictionary<string, string>? Versions = null,
    OutboxStatus? Outbox = null,
    IReadOnlyDictionary<string, long>? Drops = null,
    IReadOnlyDictionary<string, long>? Expired = null,
    IReadOnlyList<string>? CorruptFilesMovedAside = null);

/// <summary>The <c>outbox</c> part of <see cref="GatewayStatus"/>.</summary>
/// <param name="Depth">Stored messages per class name.</param>
/// <param name="Bytes">Budgeted bytes in use.</param>
/// <param name="MaxBytes">The budget.</param>
public sealed record OutboxStatus(IReadOnlyDictionary<string, long> Depth, long Bytes, long MaxBytes);

/// <summary>
/// Writes and reads the uplink's JSON payloads. The envelope is written by hand with <see cref="Utf8JsonWriter"/>
/// so the stored body is copied in as raw JSON without being parsed again.
/// </summary>
public static class UplinkPayloads
{
    /// <summary>Current payload schema version, also sent as MQTT user property <c>schema-version</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Content type set on every publish.</summary>
    public const string ContentType = "application/json";

    /// <summary>Writes the envelope of <paramref name="entry"/> to <paramref name="output"/>.</summary>
    public static void WriteEnvelope(IBufferWriter<byte> output, OutboxEntry entry, string gatewayId, bool replayed)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("schemaVersion", SchemaVersion);
        w.WriteString("messageId", entry.MessageId);
        w.WriteString("gatewayId", gatewayId);
        w.WriteString("class", entry.Class.ToWireName());
        w.WriteString("tail", entry.Tail);
        w.WritePropertyName("engineSerials");
        w.WriteRawValue(entry.EngineSerialsJson, skipInputValidation: true);
        w.WriteBoolean("replayed", replayed);
        w.WriteString("createdUtc", FormatTime(entry.CreatedUtc));
        w.WritePropertyName("body");
        w.WriteRawValue(entry.Body, skipInputValidation: true);
        w.WriteEndObject();
    }

    /// <summary>Returns the envelope of <paramref name="entry"/> as UTF-8 JSON.</summary>
    public static byte[] SerializeEnvelope(OutboxEntry entry, string gatewayId, bool replayed)
    {
        var buffer = new ArrayBufferWriter<byte>(entry?.Body.Length + 256 ?? 256);
        WriteEnvelope(buffer, entry!, gatewayId, replayed);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the envelope described by <paramref name="envelope"/> as UTF-8 JSON (same bytes the publisher sends).</summary>
    public static byte[] SerializeEnvelope(UplinkEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var entry = new OutboxEntry(0, envelope.Class, envelope.MessageId, envelope.CreatedUtc, envelope.Tail,
            JsonSerializer.Serialize(envelope.EngineSerials, UplinkJsonContext.Default.IReadOnlyListString),
            JsonSerializer.SerializeToUtf8Bytes(envelope.Body, UplinkJsonContext.Default.JsonElement));
        return SerializeEnvelope(entry, envelope.GatewayId, envelope.Replayed);
    }

    /// <summary>Parses an envelope strictly: every property required, none unknown.</summary>
    /// <exception cref="JsonException">The payload does not follow the schema.</exception>
    public static UplinkEnvelope ParseEnvelope(ReadOnlySpan<byte> utf8)
    {
        var doc = JsonSerializer.Deserialize(utf8, UplinkJsonContext.Default.EnvelopeDto)
            ?? throw new JsonException("Envelope is null.");
        var cls = MessageClasses.All.FirstOrDefault(c => c.ToWireName() == doc.Class, (MessageClass)(-1));
        if (cls < 0)
        {
            throw new JsonException($"Unknown class '{doc.Class}'.");
        }

        return new UplinkEnvelope(doc.SchemaVersion, doc.MessageId, doc.GatewayId, cls, doc.Tail, doc.EngineSerials,
            doc.Replayed, ParseTime(doc.CreatedUtc), doc.Body);
    }

    /// <summary>Returns <paramref name="status"/> as UTF-8 JSON; parts that are null are left out.</summary>
    public static byte[] SerializeStatus(GatewayStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", status.SchemaVersion);
            w.WriteString("gatewayId", status.GatewayId);
            w.WriteBoolean("online", status.Online);
            if (status.CreatedUtc is { } created)
            {
                w.WriteString("createdUtc", FormatTime(created));
            }

            if (status.Versions is { } versions)
            {
                w.WriteStartObject("versions");
                foreach (var (k, v) in versions.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
            }

            if (status.Outbox is { } outbox)
            {
                w.WriteStartObject("outbox");
                WriteClassCounts(w, "depth", outbox.Depth);
                w.WriteNumber("bytes", outbox.Bytes);
                w.WriteNumber("maxBytes", outbox.MaxBytes);
                w.WriteEndObject();
            }

            if (status.Drops is { } drops)
            {
                WriteClassCounts(w, "drops", drops);
            }

            if (status.Expired is { } expired)
            {
                WriteClassCounts(w, "expired", expired);
            }

            if (status.CorruptFilesMovedAside is { } files)
            {
                w.WriteStartArray("corruptFilesMovedAside");
                foreach (var f in files)
                {
                    w.WriteStringValue(f);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a status or Last Will payload strictly (no unknown properties).</summary>
    /// <exception cref="JsonException">The payload does not follow the schema.</exception>
    public static GatewayStatus ParseStatus(ReadOnlySpan<byte> utf8)
    {
        var doc = JsonSerializer.Deserialize(utf8, UplinkJsonContext.Default.StatusDto)
            ?? throw new JsonException("Status is null.");
        return new GatewayStatus(doc.SchemaVersion, doc.GatewayId, doc.Online,
            doc.CreatedUtc is null ? null : ParseTime(doc.CreatedUtc),
            doc.Versions,
            doc.Outbox is null ? null : new OutboxStatus(CheckClasses(doc.Outbox.Depth), doc.Outbox.Bytes, doc.Outbox.MaxBytes),
            doc.Drops is null ? null : CheckClasses(doc.Drops),
            doc.Expired is null ? null : CheckClasses(doc.Expired),
            doc.CorruptFilesMovedAside);
    }

    /// <summary>Builds the status of a connected gateway from outbox statistics.</summary>
    public static GatewayStatus CreateStatus(string gatewayId, bool online, DateTimeOffset now, IReadOnlyDictionary<string, string> versions, OutboxStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new GatewayStatus(SchemaVersion, gatewayId, online, now, versions,
            new OutboxStatus(PerClass(stats.Depth), stats.Bytes, stats.MaxBytes),
            PerClass(stats.Dropped), PerClass(stats.Expired), stats.CorruptFilesMovedAside);
    }

    /// <summary>The Last Will payload: <c>{"schemaVersion":1,"gatewayId":"…","online":false}</c>.</summary>
    public static byte[] SerializeLastWill(string gatewayId) => SerializeStatus(new GatewayStatus(SchemaVersion, gatewayId, Online: false));

    private static Dictionary<string, long> PerClass(IReadOnlyList<long> values)
    {
        var d = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in MessageClasses.All)
        {
            d[c.ToWireName()] = values[(int)c];
        }

        return d;
    }

    private static void WriteClassCounts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var c in MessageClasses.All)
        {
            var key = c.ToWireName();
            w.WriteNumber(key, counts.TryGetValue(key, out var v) ? v : 0);
        }

        w.WriteEndObject();
    }

    private static Dictionary<string, long> CheckClasses(Dictionary<string, long> counts)
    {
        foreach (var key in counts.Keys)
        {
            if (!MessageClasses.All.Any(c => c.ToWireName() == key))
            {
                throw new JsonException($"Unknown class '{key}' in class counts.");
            }
        }

        return counts;
    }

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new JsonException($"Time '{text}' is not in the form yyyy-MM-ddTHH:mm:ss.fffZ.");

    internal sealed record EnvelopeDto(
        [property: JsonRequired] int SchemaVersion,
        [property: JsonRequired] Guid MessageId,
        [property: JsonRequired] string GatewayId,
        [property: JsonRequired] string Class,
        [property: JsonRequired] string Tail,
        [property: JsonRequired] string[] EngineSerials,
        [property: JsonRequired] bool Replayed,
        [property: JsonRequired] string CreatedUtc,
        [property: JsonRequired] JsonElement Body);

    internal sealed record StatusDto(
        [property: JsonRequired] int SchemaVersion,
        [property: JsonRequired] string GatewayId,
        [property: JsonRequired] bool Online,
        string? CreatedUtc,
        Dictionary<string, string>? Versions,
        OutboxDto? Outbox,
        Dictionary<string, long>? Drops,
        Dictionary<string, long>? Expired,
        string[]? CorruptFilesMovedAside);

    internal sealed record OutboxDto(
        [property: JsonRequired] Dictionary<string, long> Depth,
        [property: JsonRequired] long Bytes,
        [property: JsonRequired] long MaxBytes);
}

/// <summary>Source-generated JSON metadata of the uplink's payloads.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(UplinkPayloads.EnvelopeDto))]
[JsonSerializable(typeof(UplinkPayloads.StatusDto))]
internal sealed partial class UplinkJsonContext : JsonSerializerContext;
