namespace EdgeGateway.Simulator.Flights;

/// <summary>Flight phases in the order they are flown.</summary>
public enum FlightPhaseKind
{
    /// <summary>Taxi from the gate to the runway: ground idle with breakaway thrust.</summary>
    TaxiOut,

    /// <summary>Take-off roll and initial climb at take-off (FLEX/TOGA) thrust.</summary>
    TakeOff,

    /// <summary>Climb at climb thrust to cruise altitude.</summary>
    Climb,

    /// <summary>Cruise; the phase that stretches with <c>--hours</c>.</summary>
    Cruise,

    /// <summary>Idle descent with a level-off.</summary>
    Descent,

    /// <summary>Approach, touchdown and reverse thrust.</summary>
    Landing,

    /// <summary>Taxi from the runway to the gate.</summary>
    TaxiIn,
}

/// <summary>One phase of a generated flight.</summary>
/// <param name="Kind">The phase.</param>
/// <param name="StartSeconds">Start, seconds from the beginning of the flight.</param>
/// <param name="EndSeconds">End (exclusive), seconds from the beginning of the flight.</param>
public readonly record struct FlightPhase(FlightPhaseKind Kind, double StartSeconds, double EndSeconds)
{
    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => EndSeconds - StartSeconds;

    /// <summary>The phase name used in labels and CSV files, e.g. <c>taxi-out</c>.</summary>
    public string Name => NameOf(Kind);

    /// <summary>The kebab-case name of a phase.</summary>
    public static string NameOf(FlightPhaseKind kind) => kind switch
    {
        FlightPhaseKind.TaxiOut => "taxi-out",
        FlightPhaseKind.TakeOff => "take-off",
        FlightPhaseKind.Climb => "climb",
        FlightPhaseKind.Cruise => "cruise",
        FlightPhaseKind.Descent => "descent",
        FlightPhaseKind.Landing => "landing",
        FlightPhaseKind.TaxiIn => "taxi-in",
        _ => kind.ToString(),
    };
}

/// <summary>
/// The phase schedule of a flight of a given length. Non-cruise phases have fixed nominal
/// lengths (65 minutes together); cruise takes the rest. A flight too short for that keeps the
/// proportions of the nominal phases in 80% of its length and cruises for the other 20%, so a
/// 12-minute test flight still has every phase.
/// </summary>
public sealed class FlightPlan
{
    /// <summary>Nominal phase lengths in minutes (cruise excluded).</summary>
    private static readonly (FlightPhaseKind Kind, double Minutes)[] s_nominal =
    [
        (FlightPhaseKind.TaxiOut, 10),
        (FlightPhaseKind.TakeOff, 1),
        (FlightPhaseKind.Climb, 20),
        (FlightPhaseKind.Cruise, 0),
        (FlightPhaseKind.Descent, 25),
        (FlightPhaseKind.Landing, 3),
        (FlightPhaseKind.TaxiIn, 6),
    ];

    /// <summary>Shortest cruise before the other phases are compressed, minutes.</summary>
    private const double MinCruiseMinutes = 10;

    /// <summary>Builds the schedule for a flight of <paramref name="durationSeconds"/>.</summary>
    public FlightPlan(double durationSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSeconds);
        DurationSeconds = durationSeconds;
        double fixedSeconds = s_nominal.Sum(p => p.Minutes) * 60;
        double scale = 1;
        double cruise = durationSeconds - fixedSeconds;
        if (cruise < MinCruiseMinutes * 60)
        {
            scale = durationSeconds * 0.8 / fixedSeconds;
            cruise = durationSeconds * 0.2;
        }

        var phases = new FlightPhase[s_nominal.Length];
        double t = 0;
        for (int i = 0; i < s_nominal.Length; i++)
        {
            var (kind, minutes) = s_nominal[i];
            double length = kind == FlightPhaseKind.Cruise ? cruise : minutes * 60 * scale;
            double end = i == s_nominal.Length - 1 ? durationSeconds : t + length;
            phases[i] = new FlightPhase(kind, t, end);
            t = end;
        }

        Phases = phases;
    }

    /// <summary>Flight length in seconds.</summary>
    public double DurationSeconds { get; }

    /// <summary>The phases in order; they tile [0, <see cref="DurationSeconds"/>).</summary>
    public IReadOnlyList<FlightPhase> Phases { get; }

    /// <summary>The phase at time <paramref name="seconds"/> (the last phase at or after the end).</summary>
    public FlightPhase PhaseAt(double seconds)
    {
        foreach (var p in Phases)
        {
            if (seconds < p.EndSeconds)
            {
                return p;
            }
        }

        return Phases[^1];
    }

    /// <summary>The phase of a kind.</summary>
    public FlightPhase this[FlightPhaseKind kind] => Phases[(int)kind];
}
