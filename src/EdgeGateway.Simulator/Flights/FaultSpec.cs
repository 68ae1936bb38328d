using System.Globalization;

namespace EdgeGateway.Simulator.Flights;

/// <summary>Injectable faults. Their names on the command line and in labels are in <see cref="FaultKinds"/>.</summary>
public enum FaultKind
{
    /// <summary><c>bearing-wear</c>: tracked vibration of one rotor rises steadily; oil temperature creeps up.</summary>
    BearingWear,

    /// <summary><c>oil-leak</c>: oil quantity falls; oil pressure falls with it, sharply once the tank runs low.</summary>
    OilLeak,

    /// <summary><c>egt-margin-loss</c>: EGT higher for the same thrust (and slightly more fuel).</summary>
    EgtMarginLoss,

    /// <summary><c>sensor-stuck</c>: one parameter's word keeps the value it had at the start.</summary>
    SensorStuck,

    /// <summary><c>sensor-drift</c>: one parameter's reading drifts away from the truth at a steady rate.</summary>
    SensorDrift,

    /// <summary><c>sensor-dropout</c>: one parameter's label stops being transmitted.</summary>
    SensorDropout,

    /// <summary><c>sensor-noise-burst</c>: one parameter's reading is very noisy for a while, then recovers.</summary>
    SensorNoiseBurst,
}

/// <summary>Names and defaults of <see cref="FaultKind"/>.</summary>
public static class FaultKinds
{
    private static readonly (FaultKind Kind, string Name)[] s_names =
    [
        (FaultKind.BearingWear, "bearing-wear"),
        (FaultKind.OilLeak, "oil-leak"),
        (FaultKind.EgtMarginLoss, "egt-margin-loss"),
        (FaultKind.SensorStuck, "sensor-stuck"),
        (FaultKind.SensorDrift, "sensor-drift"),
        (FaultKind.SensorDropout, "sensor-dropout"),
        (FaultKind.SensorNoiseBurst, "sensor-noise-burst"),
    ];

    /// <summary>Every kind's canonical name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_names.Select(n => n.Name)];

    /// <summary>The canonical name, e.g. <c>bearing-wear</c>.</summary>
    public static string NameOf(FaultKind kind) => s_names.First(n => n.Kind == kind).Name;

    /// <summary>
    /// Parses a name. The <c>sensor-</c> prefix may be left out (<c>stuck</c>, <c>drift</c>,
    /// <c>dropout</c>, <c>noise-burst</c>).
    /// </summary>
    public static bool TryParse(string text, out FaultKind kind)
    {
        foreach (var (k, name) in s_names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith("sensor-", StringComparison.Ordinal) && string.Equals(text, name["sensor-".Length..], StringComparison.OrdinalIgnoreCase)))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>True for faults of a sensor (the engine itself is healthy).</summary>
    public static bool IsSensorFault(FaultKind kind) => kind >= FaultKind.SensorStuck;

    /// <summary>
    /// Parameters a sensor fault may hit when none is given; the choice among them is drawn from
    /// the seed. Oil quantity is left out of stuck (a tank level that does not move is normal).
    /// </summary>
    public static IReadOnlyList<EngineParameter> SensorCandidates(FaultKind kind) => kind switch
    {
        FaultKind.SensorStuck =>
        [
            EngineParameter.N1, EngineParameter.N2, EngineParameter.EGT, EngineParameter.FuelFlow,
            EngineParameter.OilPressure, EngineParameter.OilTemperature, EngineParameter.N1Vibration, EngineParameter.N2Vibration,
        ],
        _ => EngineParameters.All,
    };
}

/// <summary>When a fault starts: a time from the beginning of the flight or a fraction of its length.</summary>
/// <param name="Offset">Time from the start of the flight; null when <paramref name="Fraction"/> is used.</param>
/// <param name="Fraction">Fraction of the flight length in [0, 1); null when <paramref name="Offset"/> is used.</param>
public readonly record struct FaultStart(TimeSpan? Offset, double? Fraction)
{
    /// <summary>Seconds from the start of a flight of <paramref name="durationSeconds"/>.</summary>
    public double ResolveSeconds(double durationSeconds) => Offset is { } o ? o.TotalSeconds : Fraction!.Value * durationSeconds;

    /// <summary>
    /// Parses <c>2h</c>, <c>90m</c>, <c>45s</c>, <c>1.5h</c> (a time from the start) or a plain
    /// number in [0, 1) (a fraction of the flight).
    /// </summary>
    public static bool TryParse(string text, out FaultStart start, out string error)
    {
        start = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the start is empty";
            return false;
        }

        char unit = char.ToLowerInvariant(text[^1]);
        if (unit is 'h' or 'm' or 's')
        {
            if (!double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || !double.IsFinite(n) || n < 0)
            {
                error = $"'{text}' is not a duration (use e.g. 2h, 90m, 45s or a fraction such as 0.5)";
                return false;
            }

            double seconds = unit switch { 'h' => n * 3600, 'm' => n * 60, _ => n };
            start = new FaultStart(TimeSpan.FromSeconds(seconds), null);
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f >= 0 && f < 1)
        {
            start = new FaultStart(null, f);
            return true;
        }

        error = $"'{text}' is not a start time (use a duration such as 2h, 90m, 45s, or a fraction of the flight in [0, 1) such as 0.5)";
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Offset is { } o
        ? o.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : Fraction!.Value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>A fault to inject, as requested.</summary>
/// <param name="Kind">The fault.</param>
/// <param name="Engine">Engine position, 1-based.</param>
/// <param name="Start">When it starts; null = drawn from the seed between 35% and 65% of the flight.</param>
/// <param name="Parameter">For sensor faults and bearing wear: the parameter hit (bearing wear: N1Vibration or N2Vibration); null = drawn from the seed.</param>
/// <param name="Duration">How long it lasts; null = to the end of the flight (noise bursts: 90 s).</param>
public sealed record FaultSpec(FaultKind Kind, int Engine, FaultStart? Start = null, EngineParameter? Parameter = null, TimeSpan? Duration = null)
{
    /// <summary>Default length of a noise burst.</summary>
    public static readonly TimeSpan DefaultNoiseBurstDuration = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Parses <c>KIND:ENGINE[:START[:PARAMETER]]</c>, e.g. <c>bearing-wear:2:2h</c>,
    /// <c>sensor-stuck:1:0.4:EGT</c>.
    /// </summary>
    public static bool TryParse(string text, out FaultSpec? spec, out string error)
    {
        spec = null;
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 4)
        {
            error = $"--fault '{text}': expected KIND:ENGINE[:START[:PARAMETER]], e.g. bearing-wear:2:2h";
            return false;
        }

        if (!FaultKinds.TryParse(parts[0], out var kind))
        {
            error = $"--fault '{text}': unknown fault kind '{parts[0]}' (known: {string.Join(", ", FaultKinds.Names)})";
            return false;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int engine) || engine < 1)
        {
            error = $"--fault '{text}': engine '{parts[1]}' is not an engine position (1, 2, ...)";
            return false;
        }

        FaultStart? start = null;
        if (parts.Length >= 3 && parts[2].Length > 0)
        {
            if (!FaultStart.TryParse(parts[2], out var s, out string startError))
            {
                error = $"--fault '{text}': {startError}";
                return false;
            }

            start = s;
        }

        EngineParameter? parameter = null;
        if (parts.Length == 4)
        {
            if (!Enum.TryParse<EngineParameter>(parts[3], ignoreCase: true, out var p) || !Enum.IsDefined(p) || int.TryParse(parts[3], out _))
            {
                error = $"--fault '{text}': unknown parameter '{parts[3]}' (known: {string.Join(", ", EngineParameters.All)})";
                return false;
            }

            if (kind == FaultKind.BearingWear && p is not (EngineParameter.N1Vibration or EngineParameter.N2Vibration))
            {
                error = $"--fault '{text}': bearing wear shows on N1Vibration or N2Vibration, not {p}";
                return false;
            }

            if (kind is FaultKind.OilLeak or FaultKind.EgtMarginLoss)
            {
                error = $"--fault '{text}': {FaultKinds.NameOf(kind)} takes no parameter (its parameters are fixed)";
                return false;
            }

            parameter = p;
        }

        spec = new FaultSpec(kind, engine, start, parameter);
        error = "";
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{FaultKinds.NameOf(Kind)}:{Engine}" + (Start is { } s ? $":{s}" : "") + (Parameter is { } p ? (Start is null ? "::" : ":") + p : "");
}
