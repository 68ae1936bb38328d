using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGateway.Core.Exceedances;

/// <summary>Which side of the threshold is the exceedance.</summary>
public enum LimitDirection
{
    /// <summary>Values above the threshold (red lines, vibration).</summary>
    Above,

    /// <summary>Values below the threshold (oil pressure, oil quantity).</summary>
    Below,
}

/// <summary>How serious an exceedance of a limit is.</summary>
public enum LimitGrade
{
    /// <summary>Look before the next departure.</summary>
    Caution,

    /// <summary>Red line: act now.</summary>
    Warning,
}

/// <summary>One limit: a parameter beyond a threshold for longer than a duration.</summary>
/// <param name="Name">Limit name, e.g. <c>EGT red line</c>.</param>
/// <param name="Parameter">Parameter name as in the label table.</param>
/// <param name="Direction">Above or below.</param>
/// <param name="Grade">Caution or warning.</param>
/// <param name="Threshold">Threshold in the parameter's unit.</param>
/// <param name="Unit">Unit of the threshold (must match the label table's unit).</param>
/// <param name="HoldFor">How long the value must stay beyond the threshold.</param>
/// <param name="Provenance"><c>public</c> (from a public source, named in <paramref name="Reference"/>) or <c>placeholder</c> (replace from the engine manual).</param>
/// <param name="Reference">Where the number comes from.</param>
public sealed record ExceedanceLimit(string Name, string Parameter, LimitDirection Direction, LimitGrade Grade, double Threshold, string Unit, TimeSpan HoldFor, string Provenance, string Reference);

/// <summary>The exceedance limits of one engine type (<c>firmware-config/exceedance-limits/*.json</c>).</summary>
/// <param name="EngineType">Engine type the limits apply to, matched against the label table's engine type.</param>
/// <param name="Description">What the file is.</param>
/// <param name="Limits">The limits.</param>
/// <param name="SourceFile">File the limits were read from.</param>
public sealed record ExceedanceLimitSet(string EngineType, string Description, IReadOnlyList<ExceedanceLimit> Limits, string SourceFile)
{
    /// <summary>The format version this code reads.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads and checks a limits file; every problem is listed in the exception's message.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid limits file.</exception>
    public static ExceedanceLimitSet Load(string path)
    {
        LimitsFile? file;
        try
        {
            file = JsonSerializer.Deserialize<LimitsFile>(File.ReadAllBytes(path), s_json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an exceedance limits file ({e.Message})", e);
        }

        if (file is null)
        {
            throw new InvalidDataException($"{path}: empty exceedance limits file");
        }

        var problems = new List<string>();
        if (file.FormatVersion != CurrentFormatVersion)
        {
            problems.Add($"formatVersion {file.FormatVersion} is not {CurrentFormatVersion}");
        }

        if (string.IsNullOrWhiteSpace(file.EngineType))
        {
            problems.Add("engineType is missing");
        }

        var limits = new List<ExceedanceLimit>();
        for (int i = 0; i < (file.Limits?.Count ?? 0); i++)
        {
            var l = file.Limits![i];
            string where = string.Create(CultureInfo.InvariantCulture, $"limits[{i}] ({l.Name})");
            if (string.IsNullOrWhiteSpace(l.Name) || string.IsNullOrWhiteSpace(l.Parameter))
            {
                problems.Add($"{where}: name and parameter are required");
            }

            if (!double.IsFinite(l.Threshold))
            {
                problems.Add($"{where}: threshold must be a number");
            }

            if (!(l.HoldForSeconds >= 0 && l.HoldForSeconds <= 3600))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: holdForSeconds {l.HoldForSeconds} must be 0..3600"));
            }

            if (l.Provenance is not ("public" or "placeholder"))
            {
                problems.Add($"{where}: provenance '{l.Provenance}' must be 'public' or 'placeholder'");
            }

            limits.Add(new ExceedanceLimit(l.Name ?? "", l.Parameter ?? "", l.Direction, l.Grade, l.Threshold, l.Unit ?? "", TimeSpan.FromSeconds(l.HoldForSeconds), l.Provenance ?? "", l.Reference ?? ""));
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path}: " + string.Join("; ", problems));
        }

        return new ExceedanceLimitSet(file.EngineType!, file.Description ?? "", limits, path);
    }

    /// <summary>
    /// The limits file in <paramref name="folder"/> whose engine type equals <paramref name="engineType"/>
    /// (case-insensitive), or null when none does.
    /// </summary>
    /// <exception cref="InvalidDataException">A file in the folder is not a valid limits file.</exception>
    public static ExceedanceLimitSet? Find(string folder, string engineType)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        foreach (var path in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var set = Load(path);
            if (string.Equals(set.EngineType, engineType, StringComparison.OrdinalIgnoreCase))
            {
                return set;
            }
        }

        return null;
    }

    private sealed class LimitsFile
    {
        public int FormatVersion { get; set; }

        public string? EngineType { get; set; }

        public string? Description { get; set; }

        public List<LimitEntry>? Limits { get; set; }
    }

    private sealed class LimitEntry
    {
        public string? Name { get; set; }

        public string? Parameter { get; set; }

        public LimitDirection Direction { get; set; }

        public LimitGrade Grade { get; set; }

        public double Threshold { get; set; } = double.NaN;

        public string? Unit { get; set; }

        public double HoldForSeconds { get; set; }

        public string? Provenance { get; set; }

        public string? Reference { get; set; }
    }
}
