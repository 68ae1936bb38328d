using System.Globalization;
using System.Text.Json;

namespace EdgeGateway.Crew;

/// <summary>
/// Loads <c>firmware-config/crew-panel.json</c> (format in <c>firmware-config/crew-panel.md</c>)
/// into <see cref="CrewPanelOptions"/>. Every problem is collected before failing: unknown or
/// missing settings, wrong types, out-of-range and duplicate pins, a bad I2C address; each message
/// names the setting, the value and what is allowed.
/// </summary>
public static class CrewPanelConfig
{
    /// <summary>The format version this code reads.</summary>
    public const int FormatVersion = 1;

    private static readonly Dictionary<string, string[]> s_sections = new(StringComparer.Ordinal)
    {
        [""] = ["formatVersion", "pins", "button", "lcd", "lampTest"],
        ["pins"] = ["amberLamp", "redLamp", "buzzer", "acknowledgeButton"],
        ["button"] = ["pull", "externalResistor", "debounceMilliseconds"],
        ["lcd"] = ["i2cBus", "i2cAddress"],
        ["lampTest"] = ["durationMilliseconds"],
    };

    /// <summary>Loads and validates a file.</summary>
    /// <exception cref="CrewPanelConfigException">The file is missing, not JSON, or breaks a rule.</exception>
    public static CrewPanelOptions Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CrewPanelConfigException(path, [$"file cannot be read: {e.Message}"]);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates UTF-8 JSON; <paramref name="fileName"/> appears in messages.</summary>
    /// <exception cref="CrewPanelConfigException">The text is not JSON or breaks a rule.</exception>
    public static CrewPanelOptions Parse(ReadOnlySpan<byte> json, string fileName)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new CrewPanelConfigException(fileName, [$"not valid JSON: {e.Message}"]);
        }

        using (doc)
        {
            var problems = new List<string>();
            var options = new CrewPanelOptions();
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CrewPanelConfigException(fileName, [$"the file must hold a JSON object (found {root.ValueKind})"]);
            }

            CheckNames(root, "", problems);
            if (ReadInt(root, "", "formatVersion", problems) is int version && version != FormatVersion)
            {
                problems.Add(Invariant($"formatVersion = {version}: allowed {FormatVersion}"));
            }

            if (Section(root, "pins", problems) is JsonElement pins)
            {
                Set(ReadInt(pins, "pins", "amberLamp", problems), v => options.AmberLampPin = v);
                Set(ReadInt(pins, "pins", "redLamp", problems), v => options.RedLampPin = v);
                Set(ReadInt(pins, "pins", "buzzer", problems), v => options.BuzzerPin = v);
                Set(ReadInt(pins, "pins", "acknowledgeButton", problems), v => options.AcknowledgeButtonPin = v);
            }

            if (Section(root, "button", problems) is JsonElement button)
            {
                if (ReadString(button, "button", "pull", problems) is string pull)
                {
                    switch (pull)
                    {
                        case "up": options.ButtonPull = ButtonPull.Up; break;
                        case "down": options.ButtonPull = ButtonPull.Down; break;
                        default: problems.Add($"button.pull = \"{pull}\": allowed \"up\" or \"down\""); break;
                    }
                }

                if (button.TryGetProperty("externalResistor", out JsonElement ext))
                {
                    if (ext.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        options.ButtonHasExternalResistor = ext.GetBoolean();
                    }
                    else
                    {
                        problems.Add($"button.externalResistor = {ext.GetRawText()}: allowed true or false");
                    }
                }

                Set(ReadInt(button, "button", "debounceMilliseconds", problems), v => options.ButtonDebounce = TimeSpan.FromMilliseconds(v));
            }

            if (Section(root, "lcd", problems) is JsonElement lcd)
            {
                Set(ReadInt(lcd, "lcd", "i2cBus", problems), v => options.LcdI2cBus = v);
                Set(ReadAddress(lcd, problems), v => options.LcdI2cAddress = v);
            }

            if (Section(root, "lampTest", problems) is JsonElement lampTest)
            {
                Set(ReadInt(lampTest, "lampTest", "durationMilliseconds", problems), v => options.LampTestDuration = TimeSpan.FromMilliseconds(v));
            }

            // Range and duplicate rules only make sense once every value read cleanly.
            if (problems.Count == 0)
            {
                problems.AddRange(options.Validate());
            }

            if (problems.Count > 0)
            {
                throw new CrewPanelConfigException(fileName, problems);
            }

            return options;
        }
    }

    private static void Set(int? value, Action<int> apply)
    {
        if (value is int v)
        {
            apply(v);
        }
    }

    private static JsonElement? Section(JsonElement root, string name, List<string> problems)
    {
        if (!root.TryGetProperty(name, out JsonElement section))
        {
            problems.Add($"{name} is missing: a JSON object with {string.Join(", ", s_sections[name])}");
            return null;
        }

        if (section.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{name} = {section.GetRawText()}: allowed a JSON object with {string.Join(", ", s_sections[name])}");
            return null;
        }

        CheckNames(section, name, problems);
        return section;
    }

    private static void CheckNames(JsonElement obj, string section, List<string> problems)
    {
        string[] allowed = s_sections[section];
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, p.Name) < 0)
            {
                problems.Add($"{Path(section, p.Name)} is not a setting: allowed in {(section.Length == 0 ? "the top level" : section)} are {string.Join(", ", allowed)}");
            }
        }
    }

    private static int? ReadInt(JsonElement obj, string section, string name, List<string> problems)
    {
        string path = Path(section, name);
        if (!obj.TryGetProperty(name, out JsonElement e))
        {
            problems.Add($"{path} is missing");
            return null;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int value))
        {
            problems.Add($"{path} = {e.GetRawText()}: allowed a whole number");
            return null;
        }

        return value;
    }

    private static string? ReadString(JsonElement obj, string section, string name, List<string> problems)
    {
        string path = Path(section, name);
        if (!obj.TryGetProperty(name, out JsonElement e))
        {
            problems.Add($"{path} is missing");
            return null;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{path} = {e.GetRawText()}: allowed a string");
            return null;
        }

        return e.GetString();
    }

    // The address is written the way the datasheet and i2cdetect show it ("0x27"); a plain number is accepted too.
    private static int? ReadAddress(JsonElement lcd, List<string> problems)
    {
        if (!lcd.TryGetProperty("i2cAddress", out JsonElement e))
        {
            problems.Add("lcd.i2cAddress is missing");
            return null;
        }

        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int n))
        {
            return n;
        }

        if (e.ValueKind == JsonValueKind.String)
        {
            string s = e.GetString()!;
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int hex))
            {
                return hex;
            }
        }

        problems.Add($"lcd.i2cAddress = {e.GetRawText()}: allowed a hexadecimal string such as \"0x27\" or a whole number");
        return null;
    }

    private static string Path(string section, string name) => section.Length == 0 ? name : section + "." + name;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
