using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeGateway.Core.Alerts;

/// <summary>
/// What an alert is about: the identity that de-duplicates repeated reports. Two reports with
/// equal causes are the same alert; <see cref="Id"/> is derived from the cause alone, so it is the
/// same on every run, in replay and on every gateway.
/// </summary>
public sealed record AlertCause
{
    /// <summary>Highest engine position accepted (four-engine aircraft and spare positions).</summary>
    public const int MaxEnginePosition = 8;

    /// <summary>Creates a cause; every part is checked.</summary>
    /// <param name="source">What found the problem.</param>
    /// <param name="enginePosition">Engine position on the aircraft, 1..<see cref="MaxEnginePosition"/>.</param>
    /// <param name="engineSerial">Engine serial number as read from the bus (or "UNKNOWN" before it is learned).</param>
    /// <param name="parameter">The parameter concerned, for example "EGT", "N2 vibration", "oil pressure".</param>
    /// <param name="kind">What about the parameter, for example "red line", "trend", "stuck", "dead", a model id.</param>
    public AlertCause(AlertSource source, int enginePosition, string engineSerial, string parameter, string kind)
    {
        if (!Enum.IsDefined(source))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(source), source, "unknown alert source");
        }

        if (enginePosition is < 1 or > MaxEnginePosition)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(enginePosition), enginePosition, $"engine position must be 1-{MaxEnginePosition}");
        }

        RequireText(engineSerial, nameof(engineSerial));
        RequireText(parameter, nameof(parameter));
        RequireText(kind, nameof(kind));
        Source = source;
        EnginePosition = enginePosition;
        EngineSerial = engineSerial.Trim();
        Parameter = parameter.Trim();
        Kind = kind.Trim();
        Key = string.Create(CultureInfo.InvariantCulture, $"v1|{Source}|{EnginePosition}|{EngineSerial}|{Parameter.ToUpperInvariant()}|{Kind.ToUpperInvariant()}");
        Id = SourcePrefix(Source) + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)).AsSpan(0, 8));
    }

    /// <summary>What found the problem.</summary>
    public AlertSource Source { get; }

    /// <summary>Engine position on the aircraft (1 = left outboard / engine 1).</summary>
    public int EnginePosition { get; }

    /// <summary>Engine serial number; engines move between aircraft, so history follows it.</summary>
    public string EngineSerial { get; }

    /// <summary>The parameter concerned, in words the crew and maintenance understand.</summary>
    public string Parameter { get; }

    /// <summary>What about the parameter (a limit name, "trend", "stuck", a model id).</summary>
    public string Kind { get; }

    /// <summary>
    /// The canonical text the id is hashed from: format version, source, position, serial,
    /// parameter and kind (case-insensitive in parameter and kind).
    /// </summary>
    public string Key { get; }

    /// <summary>
    /// Stable alert id: a source prefix (anom, exc, rul, dq, drift) and the first 8 bytes of
    /// SHA-256 of <see cref="Key"/> in lower-case hex, for example <c>exc-3f2a9c0d11b4e7a2</c>.
    /// </summary>
    public string Id { get; }

    /// <summary>The audience a cause of this source has unless the report says otherwise.</summary>
    public AlertAudience DefaultAudience => Source == AlertSource.Drift ? AlertAudience.MaintenanceOnly : AlertAudience.Crew;

    /// <summary>Equal when the keys are equal.</summary>
    public bool Equals(AlertCause? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    /// <inheritdoc />
    public override string ToString() => Id + " (" + Key + ")";

    private static string SourcePrefix(AlertSource source) => source switch
    {
        AlertSource.AnomalyEpisode => "anom",
        AlertSource.Exceedance => "exc",
        AlertSource.RemainingUsefulLife => "rul",
        AlertSource.DataQuality => "dq",
        _ => "drift",
    };

    private static void RequireText(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (string.IsNullOrWhiteSpace(value) || value.Contains('|', StringComparison.Ordinal) || value.Any(char.IsControl))
        {
            ThrowHelper.ThrowArgument(name, $"{name} must be non-empty text without '|' or control characters (was \"{value}\")");
        }
    }
}
