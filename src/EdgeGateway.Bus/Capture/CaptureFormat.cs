using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace EdgeGateway.Bus;

/// <summary>
/// Capture file layout, version 1 (<c>firmware-config/capture-format.md</c>):
/// <code>
/// offset  size  field
///  0      8     magic 89 45 47 43 41 50 0D 0A ("\x89EGCAP\r\n")
///  8      2     format version, uint16 little-endian (1)
/// 10      4     header length N, uint32 little-endian (1..1 MiB)
/// 14      N     header, UTF-8 JSON object
/// 14+N    2     CRC-16/CCITT-FALSE of the N header bytes, big-endian
/// 16+N    ...   adapter frames, exactly as on the wire (adapter-protocol.md), until the end of the file
/// </code>
/// </summary>
public static class CaptureFormat
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Largest header accepted, so a corrupt length cannot make a reader allocate gigabytes.</summary>
    public const int MaxHeaderLength = 1024 * 1024;

    /// <summary>Length of the fixed prefix: magic, version, header length.</summary>
    internal const int PrefixLength = 14;

    internal const int HeaderChecksumLength = 2;

    /// <summary>First 8 bytes of every capture file.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'E', (byte)'G', (byte)'C', (byte)'A', (byte)'P', 0x0D, 0x0A];

    /// <summary>Serialises the header block (prefix, JSON, checksum).</summary>
    internal static byte[] WriteHeader(CaptureHeader header)
    {
        var errors = header.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid capture header: " + string.Join("; ", errors), nameof(header));
        }

        byte[] json;
        using (var ms = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteStartObject("aircraft");
                w.WriteString("tailNumber", header.TailNumber);
                w.WriteString("type", header.AircraftType);
                w.WriteString("flightId", header.FlightId);
                w.WriteEndObject();
                w.WriteStartObject("labelTable");
                w.WriteString("name", header.LabelTableName);
                w.WriteString("sha256", header.LabelTableSha256);
                w.WriteEndObject();
                w.WriteStartObject("adapter");
                w.WriteString("model", header.AdapterModel);
                w.WriteString("firmware", header.AdapterFirmware);
                w.WriteEndObject();
                w.WriteString("recordingStartUtc", header.RecordingStartUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                w.WriteStartObject("metadata");
                foreach (var (key, value) in header.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            json = ms.ToArray();
        }

        var block = new byte[PrefixLength + json.Length + HeaderChecksumLength];
        Magic.CopyTo(block);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(10), (uint)json.Length);
        json.CopyTo(block, PrefixLength);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(PrefixLength + json.Length), Crc16CcittFalse.Compute(json));
        return block;
    }

    /// <summary>Reads and checks the header block; leaves <paramref name="stream"/> at the first frame.</summary>
    /// <exception cref="InvalidDataException">The header is missing, cut off, corrupt or of an unknown version; the message says which.</exception>
    internal static CaptureHeader ReadHeader(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[PrefixLength];
        int got = stream.ReadAtLeast(prefix, PrefixLength, throwOnEndOfStream: false);
        if (got < Magic.Length || !prefix[..Magic.Length].SequenceEqual(Magic))
        {
            ThrowHelper.ThrowInvalidData(got < Magic.Length && prefix[..got].SequenceEqual(Magic[..got])
                ? $"Not a capture file: it ends after {got} bytes, inside the 8-byte magic."
                : $"Not a capture file: the first bytes are {Convert.ToHexString(prefix[..Math.Min(got, Magic.Length)])}, expected the magic {Convert.ToHexString(Magic)}.");
        }

        if (got < PrefixLength)
        {
            ThrowHelper.ThrowInvalidData($"Capture header cut off: the file ends after {got} bytes, inside the {PrefixLength}-byte prefix.");
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
        if (version != Version)
        {
            ThrowHelper.ThrowInvalidData($"Capture format version {version} is not supported; this reader reads version {Version}.");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix[10..]);
        if (length is 0 or > MaxHeaderLength)
        {
            ThrowHelper.ThrowInvalidData($"Capture header length {length} is outside 1..{MaxHeaderLength} bytes.");
        }

        var block = new byte[length + HeaderChecksumLength];
        got = stream.ReadAtLeast(block, block.Length, throwOnEndOfStream: false);
        if (got < block.Length)
        {
            ThrowHelper.ThrowInvalidData($"Capture header cut off: expected {block.Length} header and checksum bytes after the prefix, the file has {got}.");
        }

        var json = block.AsSpan(0, (int)length);
        ushort expected = BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan((int)length));
        ushort actual = Crc16CcittFalse.Compute(json);
        if (expected != actual)
        {
            ThrowHelper.ThrowInvalidData($"Capture header checksum mismatch: stored 0x{expected:X4}, computed 0x{actual:X4}; the header is corrupt.");
        }

        return ParseJson(block.AsMemory(0, (int)length));
    }

    private static CaptureHeader ParseJson(ReadOnlyMemory<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Capture header is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                ThrowHelper.ThrowInvalidData($"Capture header must be a JSON object, got {root.ValueKind}.");
            }

            string startText = RequiredString(root, "recordingStartUtc");
            if (!DateTimeOffset.TryParseExact(startText, "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
                || start.Offset != TimeSpan.Zero)
            {
                ThrowHelper.ThrowInvalidData($"Capture header field 'recordingStartUtc' must be an ISO 8601 UTC time such as 2026-11-26T10:15:00Z, got '{startText}'.");
            }

            string sha = RequiredString(root, "labelTable", "sha256");
            if (!CaptureHeader.IsSha256Hex(sha))
            {
                ThrowHelper.ThrowInvalidData($"Capture header field 'labelTable.sha256' must be 64 lowercase hex digits, got '{sha}'.");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("metadata", out var meta))
            {
                if (meta.ValueKind != JsonValueKind.Object)
                {
                    ThrowHelper.ThrowInvalidData($"Capture header field 'metadata' must be an object of strings, got {meta.ValueKind}.");
                }

                foreach (var p in meta.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String)
                    {
                        ThrowHelper.ThrowInvalidData($"Capture header field 'metadata.{p.Name}' must be a string, got {p.Value.ValueKind}.");
                    }

                    metadata[p.Name] = p.Value.GetString()!;
                }
            }

            return new CaptureHeader(
                RequiredString(root, "aircraft", "tailNumber"),
                RequiredString(root, "aircraft", "type"),
                RequiredString(root, "aircraft", "flightId"),
                RequiredString(root, "labelTable", "name"),
                sha,
                RequiredString(root, "adapter", "model"),
                RequiredString(root, "adapter", "firmware"),
                start)
            {
                Metadata = metadata.AsReadOnly(),
            };
        }
    }

    private static string RequiredString(JsonElement root, params string[] path)
    {
        var e = root;
        foreach (string name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                ThrowHelper.ThrowInvalidData($"Capture header is missing field '{string.Join('.', path)}'.");
            }
        }

        if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
        {
            ThrowHelper.ThrowInvalidData($"Capture header field '{string.Join('.', path)}' must be a non-empty string, got {e.ValueKind}.");
        }

        return e.GetString()!;
    }
}
