using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGateway.Core.Summaries;

/// <summary>JSON form of summaries: camelCase, nulls kept, stable property order (declaration order).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(FlightSummary))]
public sealed partial class FlightSummaryJsonContext : JsonSerializerContext
{
}

/// <summary>Reads and writes <see cref="FlightSummary"/> JSON.</summary>
public static class FlightSummaryJson
{
    /// <summary>Serialises a summary as indented UTF-8 JSON with a trailing newline.</summary>
    public static byte[] ToUtf8(FlightSummary summary)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(summary, FlightSummaryJsonContext.Default.FlightSummary);
        return [.. bytes, (byte)'\n'];
    }

    /// <summary>Parses a summary; throws <see cref="JsonException"/> on malformed input.</summary>
    public static FlightSummary Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, FlightSummaryJsonContext.Default.FlightSummary)
        ?? throw new JsonException("summary JSON is null");
}
