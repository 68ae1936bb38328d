using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeGateway.Core.Arinc;

/// <summary>A label table that broke one or more rules; every problem is listed.</summary>
public sealed class LabelTableException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public LabelTableException(string file, IReadOnlyList<string> problems)
        : base($"label table {file} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>Creates the exception with a single message.</summary>
    public LabelTableException()
        : this("(unknown)", ["unknown problem"])
    {
    }

    /// <summary>Creates the exception with a single message.</summary>
    public LabelTableException(string message)
        : this("(unknown)", [message])
    {
    }

    /// <summary>Creates the exception with a single message and its cause.</summary>
    public LabelTableException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "(unknown)";
        Problems = [message];
    }

    /// <summary>The file that was loaded.</summary>
    public string File { get; } = "(unknown)";

    /// <summary>One line per problem: entry, rule, detail.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}

/// <summary>
/// Loads and validates an aircraft interface table (format described in
/// <c>firmware-config/label-tables/README.md</c>). Validation collects every problem before
/// failing, each naming the file, the entry and the rule.
/// </summary>
public static class LabelTableLoader
{
    /// <summary>The table format version this code reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Loads a table from a file.</summary>
    /// <exception cref="LabelTableException">The file is missing, not JSON, or breaks a rule.</exception>
    public static LabelTable Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LabelTableException(path, [$"rule file-readable: {e.Message}"]);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses a table from UTF-8 JSON; <paramref name="fileName"/> appears in messages.</summary>
    public static LabelTable Parse(ReadOnlySpan<byte> json, string fileName)
    {
        string sha = Convert.ToHexStringLower(SHA256.HashData(json));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new LabelTableException(fileName, [$"rule json: {e.Message}"]);
        }

        using (doc)
        {
            var problems = new List<string>();
            var root = doc.RootElement;
            int version = ReadInt(root, "formatVersion", "table", problems) ?? 0;
            if (version != FormatVersion && problems.Count == 0)
            {
                problems.Add($"table: rule format-version: formatVersion {version} is not supported (this build reads {FormatVersion})");
            }

            string name = ReadString(root, "name", "table", problems) ?? "";
            string aircraft = ReadString(root, "aircraftType", "table", problems) ?? "";
            string engineType = ReadString(root, "engineType", "table", problems) ?? "";
            int engineCount = ReadInt(root, "engineCount", "table", problems) ?? 0;
            var entries = ImmutableArray.CreateBuilder<LabelEntry>();
            if (!root.TryGetProperty("entries", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add("table: rule missing-field: 'entries' (array) is required");
            }
            else
            {
                int index = 0;
                foreach (var e in list.EnumerateArray())
                {
                    var entry = ReadEntry(e, index++, engineCount, problems);
                    if (entry is not null)
                    {
                        entries.Add(entry);
                    }
                }
            }

            CheckClashes(entries, problems);
            if (problems.Count > 0)
            {
                throw new LabelTableException(fileName, problems);
            }

            return new LabelTable(new LabelTableInfo(name, aircraft, engineType, engineCount, sha, fileName), entries.ToImmutable());
        }
    }

    private static LabelEntry? ReadEntry(JsonElement e, int index, int engineCount, List<string> problems)
    {
        string where = $"entry #{index}";
        int before = problems.Count;
        string? labelText = ReadString(e, "label", where, problems);
        byte label = 0;
        if (labelText is not null)
        {
            if (!ArincWord.TryParseLabel(labelText, out label))
            {
                problems.Add($"{where}: rule label-octal: label '{labelText}' is not 1-3 octal digits (000-377)");
            }
            else
            {
                where = $"entry #{index} (label {labelText})";
            }
        }

        var engines = ImmutableDictionary.CreateBuilder<int, int>();
        if (e.TryGetProperty("engines", out var map))
        {
            foreach (var p in map.EnumerateObject())
            {
                int sdi = p.Name switch { "00" => 0, "01" => 1, "10" => 2, "11" => 3, _ => -1 };
                if (sdi < 0)
                {
                    problems.Add($"{where}: rule sdi-bits: SDI key '{p.Name}' must be two bits: 00, 01, 10 or 11");
                    continue;
                }

                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out int pos) || pos < 1 || pos > Math.Max(engineCount, 1))
                {
                    problems.Add($"{where}: rule engine-position: SDI {p.Name} maps to {p.Value.GetRawText()}, allowed 1..{engineCount}");
                    continue;
                }

                if (engines.ContainsValue(pos))
                {
                    problems.Add($"{where}: rule sdi-clash: engine {pos} is claimed by two SDI values");
                    continue;
                }

                engines[sdi] = pos;
            }
        }

        double rate = ReadDouble(e, "expectedRateHz", where, problems) ?? 1;
        if (rate is <= 0 or > 2778)
        {
            problems.Add($"{where}: rule rate: expectedRateHz {rate.ToString(CultureInfo.InvariantCulture)} must be in (0, 2778] (the high-speed bus maximum)");
        }

        double staleMs = ReadDouble(e, "staleAfterMs", where, problems) ?? double.PositiveInfinity;
        if (staleMs <= 0)
        {
            problems.Add($"{where}: rule stale-timeout: staleAfterMs {staleMs.ToString(CultureInfo.InvariantCulture)} must be positive");
        }
        else if (rate > 0 && staleMs < 1000.0 / rate)
        {
            problems.Add($"{where}: rule stale-timeout: staleAfterMs {staleMs.ToString(CultureInfo.InvariantCulture)} is shorter than one transmit interval at {rate.ToString(CultureInfo.InvariantCulture)} Hz");
        }

        string provenanceText = ReadString(e, "provenance", where, problems) ?? "";
        var provenance = provenanceText switch
        {
            "public" => EntryProvenance.Public,
            "placeholder" => EntryProvenance.Placeholder,
            _ => (EntryProvenance)255,
        };
        if ((byte)provenance == 255 && provenanceText.Length > 0)
        {
            problems.Add($"{where}: rule provenance: '{provenanceText}' must be 'public' or 'placeholder'");
        }

        string reference = e.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
        var fields = ImmutableArray.CreateBuilder<LabelField>();
        if (!e.TryGetProperty("fields", out var fl) || fl.ValueKind != JsonValueKind.Array || fl.GetArrayLength() == 0)
        {
            problems.Add($"{where}: rule missing-field: 'fields' (non-empty array) is required");
        }
        else
        {
            int fi = 0;
            foreach (var f in fl.EnumerateArray())
            {
                var field = ReadField(f, $"{where} field #{fi++}", engines.Count > 0, problems);
                if (field is not null)
                {
                    fields.Add(field);
                }
            }

            for (int a = 0; a < fields.Count; a++)
            {
                for (int b = a + 1; b < fields.Count; b++)
                {
                    if (fields[a].FirstBit <= fields[b].LastBit && fields[b].FirstBit <= fields[a].LastBit)
                    {
                        problems.Add($"{where}: rule overlapping-bits: field '{fields[a].Parameter}' (bits {fields[a].FirstBit}-{fields[a].LastBit}) overlaps field '{fields[b].Parameter}' (bits {fields[b].FirstBit}-{fields[b].LastBit})");
                    }
                }
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        return new LabelEntry(label, engines.ToImmutable(), rate, TimeSpan.FromMilliseconds(staleMs), provenance, reference, fields.ToImmutable());
    }

    private static LabelField? ReadField(JsonElement f, string where, bool sdiIsSelector, List<string> problems)
    {
        int before = problems.Count;
        string parameter = ReadString(f, "parameter", where, problems) ?? "";
        string encText = ReadString(f, "encoding", where, problems) ?? "";
        string unit = f.TryGetProperty("unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
        double min = ReadDouble(f, "validMin", where, problems) ?? 0;
        double max = ReadDouble(f, "validMax", where, problems) ?? 0;
        if (min > max)
        {
            problems.Add($"{where}: rule valid-range: validMin {min.ToString(CultureInfo.InvariantCulture)} is above validMax {max.ToString(CultureInfo.InvariantCulture)}");
        }

        double range = 0;
        int bits = 0, digits = 0, first = 0, last = 0;
        double resolution = 0;
        ArincEncoding encoding = default;
        switch (encText)
        {
            case "BNR":
                encoding = ArincEncoding.Bnr;
                range = ReadDouble(f, "range", where, problems) ?? 0;
                bits = ReadInt(f, "significantBits", where, problems) ?? 0;
                if (range <= 0)
                {
                    problems.Add($"{where}: rule bnr-range: range {range.ToString(CultureInfo.InvariantCulture)} must be positive");
                }

                if (bits is < 1 or > Bnr.MaxSignificantBits)
                {
                    problems.Add($"{where}: rule bnr-bits: significantBits {bits} must be 1..{Bnr.MaxSignificantBits}");
                }
                else
                {
                    first = 29 - bits;
                    last = 29;
                    resolution = Bnr.Resolution(range, bits);
                }

                if (range > 0 && (max > range || min < -range))
                {
                    problems.Add($"{where}: rule valid-range: valid range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}] exceeds the BNR range ±{range.ToString(CultureInfo.InvariantCulture)}");
                }

                break;
            case "BCD":
                encoding = ArincEncoding.Bcd;
                digits = ReadInt(f, "digits", where, problems) ?? 0;
                resolution = ReadDouble(f, "resolution", where, problems) ?? 0;
                if (digits is < 1 or > Bcd.MaxDigits)
                {
                    problems.Add($"{where}: rule bcd-digits: digits {digits} must be 1..{Bcd.MaxDigits}");
                }
                else
                {
                    first = 27 - (4 * (digits - 1));
                    last = 29;
                }

                if (resolution <= 0)
                {
                    problems.Add($"{where}: rule bcd-resolution: resolution {resolution.ToString(CultureInfo.InvariantCulture)} must be positive");
                }

                break;
            case "DIS":
                encoding = ArincEncoding.Discrete;
                first = ReadInt(f, "firstBit", where, problems) ?? 0;
                last = ReadInt(f, "lastBit", where, problems) ?? 0;
                int lowest = sdiIsSelector ? 11 : 9;
                if (first < lowest || last > 29 || first > last)
                {
                    problems.Add($"{where}: rule discrete-bits: bits {first}-{last} must lie within {lowest}-29{(sdiIsSelector ? " (the SDI selects the engine)" : "")}");
                }

                break;
            default:
                if (encText.Length > 0)
                {
                    problems.Add($"{where}: rule encoding: '{encText}' must be BNR, BCD or DIS");
                }

                break;
        }

        return problems.Count > before ? null : new LabelField(parameter, encoding, first, last, range, bits, digits, resolution, unit, min, max);
    }

    private static void CheckClashes(ImmutableArray<LabelEntry>.Builder entries, List<string> problems)
    {
        for (int a = 0; a < entries.Count; a++)
        {
            for (int b = a + 1; b < entries.Count; b++)
            {
                var x = entries[a];
                var y = entries[b];
                if (x.Label != y.Label)
                {
                    continue;
                }

                // An entry without an SDI map listens to every SDI value.
                var sx = x.Engines.Count == 0 ? [0, 1, 2, 3] : x.Engines.Keys.ToArray();
                var sy = y.Engines.Count == 0 ? [0, 1, 2, 3] : y.Engines.Keys.ToArray();
                var shared = sx.Intersect(sy).Order().ToArray();
                if (shared.Length > 0)
                {
                    string sdiText = string.Join(", ", shared.Select(s => Convert.ToString(s, 2).PadLeft(2, '0')));
                    problems.Add($"label {x.LabelOctal}: rule sdi-clash: SDI {sdiText} claimed by two entries ('{x.Fields[0].Parameter}' and '{y.Fields[0].Parameter}')");
                }
            }
        }

        var seen = new Dictionary<(int Engine, string Parameter), string>();
        foreach (var e in entries)
        {
            var positions = e.Engines.Count == 0 ? [0] : e.Engines.Values.ToArray();
            foreach (var f in e.Fields)
            {
                foreach (int pos in positions)
                {
                    if (seen.TryGetValue((pos, f.Parameter), out var other))
                    {
                        problems.Add($"label {e.LabelOctal}: rule duplicate-parameter: engine {pos} '{f.Parameter}' is already carried by label {other}");
                    }
                    else
                    {
                        seen[(pos, f.Parameter)] = e.LabelOctal;
                    }
                }
            }
        }
    }

    private static string? ReadString(JsonElement e, string name, string where, List<string> problems)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
        {
            return v.GetString();
        }

        problems.Add($"{where}: rule missing-field: '{name}' (string) is required");
        return null;
    }

    private static double? ReadDouble(JsonElement e, string name, string where, List<string> problems)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number)
        {
            return v.GetDouble();
        }

        problems.Add($"{where}: rule missing-field: '{name}' (number) is required");
        return null;
    }

    private static int? ReadInt(JsonElement e, string name, string where, List<string> problems)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i))
        {
            return i;
        }

        problems.Add($"{where}: rule missing-field: '{name}' (integer) is required");
        return null;
    }
}
