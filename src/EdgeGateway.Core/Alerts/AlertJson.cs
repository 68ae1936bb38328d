using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGateway.Core.Alerts;

/// <summary>The JSON shape of an alert (uplink body, local API, crew page). Schema version 1.</summary>
/// <param name="SchemaVersion">Always 1 for this shape.</param>
/// <param name="Id">Stable id of the cause.</param>
/// <param name="OccurrenceId">Id of this occurrence (cause + first evidence time).</param>
/// <param name="Source">Anomaly episode, exceedance, RUL, data quality, drift.</param>
/// <param name="Severity">Advisory, caution, warning.</param>
/// <param name="State">Raised, acknowledged, cleared.</param>
/// <param name="Audience">Crew or maintenance only.</param>
/// <param name="EnginePosition">1-based engine position (0: aircraft).</param>
/// <param name="EngineSerial">Engine serial number.</param>
/// <param name="Parameter">Parameter concerned.</param>
/// <param name="Text">Plain words for the crew.</param>
/// <param name="Evidence">Latest evidence.</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="LastSeenAt">Last repeat.</param>
/// <param name="Count">Occurrences folded into it.</param>
/// <param name="AcknowledgedBy">Who acknowledged, if anyone.</param>
/// <param name="AcknowledgedVia">Button, crew page or local API.</param>
/// <param name="AcknowledgedAt">When.</param>
public sealed record AlertDocument(
    int SchemaVersion,
    string Id,
    string OccurrenceId,
    AlertSource Source,
    AlertSeverity Severity,
    AlertState State,
    AlertAudience Audience,
    int EnginePosition,
    string EngineSerial,
    string Parameter,
    string Text,
    AlertEvidence Evidence,
    DateTimeOffset RaisedAt,
    DateTimeOffset LastSeenAt,
    int Count,
    string? AcknowledgedBy,
    AcknowledgeChannel? AcknowledgedVia,
    DateTimeOffset? AcknowledgedAt)
{
    /// <summary>Schema version of this shape.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The document of an alert.</summary>
    public static AlertDocument From(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertDocument(
            CurrentSchemaVersion, alert.Id, alert.OccurrenceId, alert.Source, alert.Severity, alert.State, alert.Audience,
            alert.EnginePosition, alert.EngineSerial, alert.Parameter, alert.Text, alert.Evidence, alert.RaisedAt, alert.LastSeenAt,
            alert.Count, alert.Acknowledgement?.By, alert.Acknowledgement?.Channel, alert.Acknowledgement?.At);
    }
}

/// <summary>Writes an enum as its camelCase name ("raised", "caution", "crewPage").</summary>
/// <typeparam name="T">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<T> : JsonStringEnumConverter<T>
    where T : struct, Enum
{
    /// <summary>Creates the converter.</summary>
    public CamelCaseEnumConverter()
        : base(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    {
    }
}

/// <summary>Source-generated JSON for alert documents: camelCase properties, enums as camelCase strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(CamelCaseEnumConverter<AlertSource>), typeof(CamelCaseEnumConverter<AlertSeverity>), typeof(CamelCaseEnumConverter<AlertState>), typeof(CamelCaseEnumConverter<AlertAudience>), typeof(CamelCaseEnumConverter<AcknowledgeChannel>)])]
[JsonSerializable(typeof(AlertDocument))]
[JsonSerializable(typeof(AlertDocument[]))]
public sealed partial class AlertJsonContext : JsonSerializerContext
{
}

/// <summary>Serialises alerts.</summary>
public static class AlertJson
{
    /// <summary>UTF-8 JSON of an alert's document.</summary>
    public static byte[] ToUtf8(Alert alert) => JsonSerializer.SerializeToUtf8Bytes(AlertDocument.From(alert), AlertJsonContext.Default.AlertDocument);
}
