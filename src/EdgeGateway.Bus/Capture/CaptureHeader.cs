using System.Buffers;
using System.Collections.ObjectModel;
using System.Security.Cryptography;

namespace EdgeGateway.Bus;

/// <summary>
/// The header of a capture file (<c>firmware-config/capture-format.md</c>): which aircraft and
/// flight was recorded, with which label table and adapter, and when.
/// </summary>
/// <param name="TailNumber">Aircraft registration, e.g. <c>D-AIZA</c>.</param>
/// <param name="AircraftType">Aircraft type and engine, e.g. <c>A320-214 CFM56-5B4</c>.</param>
/// <param name="FlightId">The operator's flight identifier, e.g. <c>DLH4AB-2026-11-26</c>.</param>
/// <param name="LabelTableName">File name of the label table the recording is meant to be decoded with.</param>
/// <param name="LabelTableSha256">SHA-256 of that label table file's bytes, 64 lowercase hex digits.</param>
/// <param name="AdapterModel">Adapter model that received the words.</param>
/// <param name="AdapterFirmware">Adapter firmware version.</param>
/// <param name="RecordingStartUtc">Wall-clock time (UTC) the recording started, as well as the recorder knew it.</param>
public sealed record CaptureHeader(
    string TailNumber,
    string AircraftType,
    string FlightId,
    string LabelTableName,
    string LabelTableSha256,
    string AdapterModel,
    string AdapterFirmware,
    DateTimeOffset RecordingStartUtc)
{
    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create("0123456789abcdef");
    private static readonly ReadOnlyDictionary<string, string> s_noMetadata = new(new Dictionary<string, string>());

    /// <summary>Free key/value metadata (simulator seed, injected faults, gate, recorder version...). Written sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = s_noMetadata;

    /// <summary>The SHA-256 of a label table file's bytes in the form <see cref="LabelTableSha256"/> expects.</summary>
    public static string ComputeLabelTableSha256(ReadOnlySpan<byte> labelTableBytes) =>
        Convert.ToHexStringLower(SHA256.HashData(labelTableBytes));

    /// <summary>Checks the fields a writer needs; returns the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Require(TailNumber, "aircraft.tailNumber");
        Require(AircraftType, "aircraft.type");
        Require(FlightId, "aircraft.flightId");
        Require(LabelTableName, "labelTable.name");
        Require(AdapterModel, "adapter.model");
        Require(AdapterFirmware, "adapter.firmware");
        if (!IsSha256Hex(LabelTableSha256))
        {
            errors.Add($"labelTable.sha256 must be 64 lowercase hex digits, got '{LabelTableSha256}'");
        }

        if (RecordingStartUtc.Offset != TimeSpan.Zero)
        {
            errors.Add($"recordingStartUtc must be UTC (offset 0), got offset {RecordingStartUtc.Offset}");
        }

        foreach (var (key, value) in Metadata)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                errors.Add($"metadata entries need a non-empty key and a value, got key '{key}'");
            }
        }

        return errors;

        void Require(string? value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{name} is required");
            }
        }
    }

    internal static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.AsSpan().IndexOfAnyExcept(s_lowerHex) < 0;
}
