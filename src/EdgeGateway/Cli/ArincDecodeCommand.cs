using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Cli;

/// <summary>
/// <c>arinc decode [--table FILE] HEXWORD...</c>: one JSON object per word, for people debugging a bus.
/// </summary>
internal static class ArincDecodeCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string tablePath = DefaultPaths.LabelTable;
        var words = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--table")
            {
                if (i + 1 >= args.Length)
                {
                    error.WriteLine("arinc decode: --table needs a file");
                    return ExitCodes.Usage;
                }

                tablePath = args[++i];
            }
            else
            {
                words.Add(args[i]);
            }
        }

        if (words.Count == 0)
        {
            error.WriteLine("usage: arinc decode [--table FILE] HEXWORD...");
            return ExitCodes.Usage;
        }

        if (!CommandSetup.TryLoadTable(tablePath, error, out var table))
        {
            return ExitCodes.Config;
        }

        int rc = ExitCodes.Ok;
        Span<DecodedValue> values = stackalloc DecodedValue[Math.Max(1, table.MaxFieldsPerWord)];
        foreach (string text in words)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms))
            {
                w.WriteStartObject();
                w.WriteString("word", text);
                if (!TryParseHex(text, out uint raw))
                {
                    w.WriteString("error", "not a 32-bit hex word (up to 8 hex digits, optional 0x)");
                    rc = ExitCodes.Usage;
                }
                else
                {
                    Write(w, table, raw, values);
                }

                w.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        }

        return rc;
    }

    private static void Write(Utf8JsonWriter w, LabelTable table, uint raw, Span<DecodedValue> values)
    {
        var word = new ArincWord(raw);
        w.WriteString("label", word.LabelOctal);
        w.WriteNumber("sdi", word.Sdi);
        w.WriteNumber("ssm", word.Ssm);
        w.WriteBoolean("parityOk", word.ParityOk);
        if (!word.ParityOk)
        {
            return;
        }

        if (table.Decode(raw, values, out int n) != DecodeOutcome.Decoded)
        {
            w.WriteBoolean("known", false);
            return;
        }

        for (int i = 0; i < n; i++)
        {
            var v = values[i];
            var c = table.Channels[v.ChannelId];
            // One object per word: a multi-field word lists its extra fields under "fields".
            if (i == 1)
            {
                w.WriteStartArray("fields");
            }

            if (i > 0)
            {
                w.WriteStartObject();
            }

            w.WriteString("parameter", c.Parameter);
            w.WriteNumber("engine", c.EnginePosition);
            if (double.IsNaN(v.Value))
            {
                w.WriteNull("value");
            }
            else
            {
                w.WriteNumber("value", v.Value);
            }

            w.WriteString("unit", c.Unit);
            w.WriteString("status", StatusText(v));
            if (i > 0)
            {
                w.WriteEndObject();
            }
        }

        if (n > 1)
        {
            w.WriteEndArray();
        }
    }

    private static string StatusText(DecodedValue v) => v.Status switch
    {
        WordStatus.NoComputedData => "NCD",
        WordStatus.FailureWarning => "FW",
        WordStatus.FunctionalTest => "TEST",
        _ when (v.Checks & ValueChecks.MalformedBcd) != 0 => "BAD_BCD",
        _ when (v.Checks & ValueChecks.OutOfRange) != 0 => "OUT_OF_RANGE",
        _ => "NORMAL",
    };

    private static bool TryParseHex(string text, out uint raw)
    {
        var s = text.AsSpan();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        raw = 0;
        return s.Length is > 0 and <= 8 && uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out raw);
    }
}
