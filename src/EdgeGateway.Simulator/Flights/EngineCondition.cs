namespace EdgeGateway.Simulator.Flights;

/// <summary>
/// Deterioration of one engine on top of its serial number's own character: how a worn engine
/// differs from a new one of the same serial. Flights of a run-to-failure history (one flight per
/// cycle) set it per flight; the default is a new engine. Unlike a fault it is present from the
/// first word and is not an anomaly label.
/// </summary>
/// <param name="EgtOffset">EGT added at every power setting, degC (EGT margin lost).</param>
/// <param name="N2Offset">Core speed added, %.</param>
/// <param name="FuelFlowFactor">Relative extra fuel flow (0.02 = 2% more).</param>
/// <param name="N1VibrationOffset">Fan vibration added, units.</param>
/// <param name="N2VibrationOffset">Core vibration added, units.</param>
public sealed record EngineCondition(
    double EgtOffset = 0,
    double N2Offset = 0,
    double FuelFlowFactor = 0,
    double N1VibrationOffset = 0,
    double N2VibrationOffset = 0)
{
    /// <summary>A new engine.</summary>
    public static EngineCondition New { get; } = new();

    /// <summary>Problems with the values (empty when valid).</summary>
    public IEnumerable<string> Validate(int engine)
    {
        if (!double.IsFinite(EgtOffset) || Math.Abs(EgtOffset) > 300)
        {
            yield return $"engine {engine} condition: EGT offset {EgtOffset} degC is outside -300..300";
        }

        if (!double.IsFinite(N2Offset) || Math.Abs(N2Offset) > 10)
        {
            yield return $"engine {engine} condition: N2 offset {N2Offset} % is outside -10..10";
        }

        if (!double.IsFinite(FuelFlowFactor) || FuelFlowFactor <= -0.5 || FuelFlowFactor > 1)
        {
            yield return $"engine {engine} condition: fuel flow factor {FuelFlowFactor} is outside -0.5..1";
        }

        if (!double.IsFinite(N1VibrationOffset) || !double.IsFinite(N2VibrationOffset) || Math.Abs(N1VibrationOffset) > 5 || Math.Abs(N2VibrationOffset) > 5)
        {
            yield return $"engine {engine} condition: vibration offsets ({N1VibrationOffset}, {N2VibrationOffset}) are outside -5..5 units";
        }
    }
}
