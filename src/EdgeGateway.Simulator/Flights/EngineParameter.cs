namespace EdgeGateway.Simulator.Flights;

/// <summary>
/// The engine parameters the simulator models. Names equal the label table's parameter names
/// (<c>firmware-config/label-tables/</c>), which is how values find their labels.
/// </summary>
public enum EngineParameter
{
    /// <summary>Fan speed, %RPM.</summary>
    N1,

    /// <summary>Core speed, %RPM.</summary>
    N2,

    /// <summary>Exhaust gas temperature, degC.</summary>
    EGT,

    /// <summary>Fuel flow, kg/h.</summary>
    FuelFlow,

    /// <summary>Oil pressure, psi.</summary>
    OilPressure,

    /// <summary>Oil temperature, degC.</summary>
    OilTemperature,

    /// <summary>Oil quantity, qt.</summary>
    OilQuantity,

    /// <summary>Fan (N1) tracked vibration, units.</summary>
    N1Vibration,

    /// <summary>Core (N2) tracked vibration, units.</summary>
    N2Vibration,
}

/// <summary>Facts about <see cref="EngineParameter"/> values the generator and its faults need.</summary>
public static class EngineParameters
{
    /// <summary>Number of modelled parameters.</summary>
    public const int Count = 9;

    /// <summary>All parameters in declaration order (the order of the samples CSV columns).</summary>
    public static IReadOnlyList<EngineParameter> All { get; } = Enum.GetValues<EngineParameter>();

    /// <summary>
    /// Typical operating span of a parameter: sensor noise, drift rates and noise-burst sizes are
    /// fractions of it, so one rule serves parameters with very different units.
    /// </summary>
    public static double Span(EngineParameter p) => p switch
    {
        EngineParameter.N1 => 100,
        EngineParameter.N2 => 100,
        EngineParameter.EGT => 900,
        EngineParameter.FuelFlow => 5000,
        EngineParameter.OilPressure => 80,
        EngineParameter.OilTemperature => 150,
        EngineParameter.OilQuantity => 20,
        EngineParameter.N1Vibration => 5,
        EngineParameter.N2Vibration => 5,
        _ => 1,
    };

    /// <summary>One-sigma sensor noise added to every transmitted word, in the parameter's unit.</summary>
    public static double NoiseSigma(EngineParameter p) => p switch
    {
        EngineParameter.N1 => 0.04,
        EngineParameter.N2 => 0.04,
        EngineParameter.EGT => 1.5,
        EngineParameter.FuelFlow => 8,
        EngineParameter.OilPressure => 0.4,
        EngineParameter.OilTemperature => 0.3,
        EngineParameter.OilQuantity => 0.05,
        EngineParameter.N1Vibration => 0.03,
        EngineParameter.N2Vibration => 0.03,
        _ => 0,
    };

    /// <summary>Physical lower bound of the value (no negative speeds or quantities).</summary>
    public static double Floor(EngineParameter p) => p is EngineParameter.EGT or EngineParameter.OilTemperature ? -60 : 0;
}
