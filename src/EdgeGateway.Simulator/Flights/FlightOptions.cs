using System.Globalization;

namespace EdgeGateway.Simulator.Flights;

/// <summary>How the engine data reaches the adapter.</summary>
public enum BusLayout
{
    /// <summary>Each engine control unit on its own ARINC bus: engine N on adapter channel N-1 (default).</summary>
    PerEngine,

    /// <summary>Both engines' words merged on adapter channel 0 (engines told apart by SDI only).</summary>
    Shared,
}

/// <summary>ARINC 429 bus speed of the simulated engine buses.</summary>
public enum BusSpeed
{
    /// <summary>12.5 kbit/s: a word plus the 4-bit gap occupies 36 bit times = 2,880 us.</summary>
    Low,

    /// <summary>100 kbit/s: 360 us per word with its gap.</summary>
    High,
}

/// <summary>
/// Everything that determines a generated flight. Two runs with equal options produce identical
/// words, labels and samples; nothing reads the wall clock.
/// </summary>
public sealed class FlightOptions
{
    /// <summary>Default flight length: 1.5 hours.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1.5);

    /// <summary>Default start of the recording: 2026-01-01 08:00:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStartUtc = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Longest flight accepted (the 56-hour benchmark capture fits).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(100);

    /// <summary>Shortest flight accepted.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(1);

    /// <summary>Seed of every random choice. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Flight length from the first word to the last (taxi-out to end of taxi-in). Default <see cref="DefaultDuration"/>.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>Wall-clock time of the first word, written to the labels and the capture header. Default <see cref="DefaultStartUtc"/>.</summary>
    public DateTimeOffset StartUtc { get; init; } = DefaultStartUtc;

    /// <summary>Aircraft registration. Default <c>D-AISM</c>. Also seeds the default engine serial numbers.</summary>
    public string TailNumber { get; init; } = "D-AISM";

    /// <summary>Flight identifier; default (null) is <c>SIM-&lt;seed&gt;</c>.</summary>
    public string? FlightId { get; init; }

    /// <summary>
    /// Six-digit engine serial numbers by engine position (index 0 = engine 1). Default (null):
    /// derived from <see cref="TailNumber"/>, so every flight of one aircraft carries the same engines.
    /// An engine's own character (EGT offset, vibration signature, oil quantity) follows its serial.
    /// </summary>
    public IReadOnlyList<int>? EngineSerials { get; init; }

    /// <summary>Deterioration per engine position (index 0 = engine 1); default (null) every engine new.</summary>
    public IReadOnlyList<EngineCondition>? EngineConditions { get; init; }

    /// <summary>Faults to inject.</summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];

    /// <summary>Turbulence encounters per hour of cruise (climb and descent see twice as many, approach three times). Default 2; 0 turns turbulence off.</summary>
    public double TurbulencePerHour { get; init; } = 2;

    /// <summary>Engine buses to adapter channels. Default <see cref="BusLayout.PerEngine"/>.</summary>
    public BusLayout Buses { get; init; } = BusLayout.PerEngine;

    /// <summary>Bus speed. Default <see cref="BusSpeed.Low"/>.</summary>
    public BusSpeed Speed { get; init; } = BusSpeed.Low;

    /// <summary>
    /// Adapter hardware clock at the start of the flight, microseconds. Default 5 s: the adapter
    /// was powered up before the recording, so readers must not assume timestamps start at 0.
    /// </summary>
    public ulong TimestampOffsetMicros { get; init; } = 5_000_000;

    /// <summary>The flight identifier in effect.</summary>
    public string EffectiveFlightId => FlightId ?? "SIM-" + Seed.ToString(CultureInfo.InvariantCulture);

    /// <summary>Checks the options against an aircraft with <paramref name="engineCount"/> engines; returns one message per problem.</summary>
    public IReadOnlyList<string> Validate(int engineCount)
    {
        var errors = new List<string>();
        if (Duration < MinDuration || Duration > MaxDuration)
        {
            errors.Add($"duration {Duration.TotalHours.ToString("0.###", CultureInfo.InvariantCulture)} h is outside {MinDuration.TotalHours.ToString("0.###", CultureInfo.InvariantCulture)}..{MaxDuration.TotalHours.ToString(CultureInfo.InvariantCulture)} h");
        }

        if (!double.IsFinite(TurbulencePerHour) || TurbulencePerHour < 0 || TurbulencePerHour > 3600)
        {
            errors.Add($"turbulence rate {TurbulencePerHour.ToString(CultureInfo.InvariantCulture)} per hour is outside 0..3600");
        }

        if (string.IsNullOrWhiteSpace(TailNumber))
        {
            errors.Add("tail number is empty");
        }

        if (FlightId is not null && string.IsNullOrWhiteSpace(FlightId))
        {
            errors.Add("flight id is empty");
        }

        if (StartUtc.Offset != TimeSpan.Zero)
        {
            errors.Add($"start time {StartUtc:O} is not UTC");
        }

        if (EngineSerials is not null)
        {
            if (EngineSerials.Count != engineCount)
            {
                errors.Add($"{EngineSerials.Count} engine serial numbers given for {engineCount} engines");
            }

            foreach (int s in EngineSerials)
            {
                if (s is < 0 or > 999_999)
                {
                    errors.Add($"engine serial number {s} is not six digits");
                }
            }
        }

        if (EngineConditions is not null)
        {
            if (EngineConditions.Count != engineCount)
            {
                errors.Add($"{EngineConditions.Count} engine conditions given for {engineCount} engines");
            }

            for (int i = 0; i < EngineConditions.Count; i++)
            {
                errors.AddRange(EngineConditions[i].Validate(i + 1));
            }
        }

        foreach (var f in Faults)
        {
            if (f.Engine < 1 || f.Engine > engineCount)
            {
                errors.Add($"fault {f}: engine {f.Engine} does not exist (the aircraft has engines 1..{engineCount})");
            }

            if (f.Start is { } s)
            {
                double at = s.ResolveSeconds(Duration.TotalSeconds);
                if (at >= Duration.TotalSeconds)
                {
                    errors.Add($"fault {f}: starts at {at.ToString("0.#", CultureInfo.InvariantCulture)} s, after the end of the {Duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s flight");
                }
            }

            if (f.Duration is { } d && d <= TimeSpan.Zero)
            {
                errors.Add($"fault {f}: duration {d} is not positive");
            }
        }

        return errors;
    }

    /// <summary>The serial numbers in effect for <paramref name="engineCount"/> engines.</summary>
    public IReadOnlyList<int> ResolveEngineSerials(int engineCount)
    {
        if (EngineSerials is not null)
        {
            return EngineSerials;
        }

        // CFM56-5B serial numbers are six digits beginning 57xxxx; the rest follows the tail number.
        var serials = new int[engineCount];
        var rng = new SimRandom(SimRandom.Hash("esn:" + TailNumber));
        for (int i = 0; i < engineCount; i++)
        {
            int s;
            do
            {
                s = 570_000 + rng.NextInt(10_000);
            }
            while (Array.IndexOf(serials, s, 0, i) >= 0);

            serials[i] = s;
        }

        return serials;
    }
}
