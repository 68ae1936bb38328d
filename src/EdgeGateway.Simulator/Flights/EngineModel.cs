namespace EdgeGateway.Simulator.Flights;

/// <summary>Physical fault effects on one engine at one step, computed by the fault model.</summary>
internal struct PhysicalFaultEffects
{
    /// <summary>Extra N1 (fan) tracked vibration at full speed, units.</summary>
    public double N1VibrationRise;

    /// <summary>Extra N2 (core) tracked vibration at full speed, units.</summary>
    public double N2VibrationRise;

    /// <summary>Oil temperature rise from a worn bearing, degC.</summary>
    public double OilTemperatureRise;

    /// <summary>Oil lost through a leak, qt.</summary>
    public double OilLost;

    /// <summary>EGT added at full thrust, degC (less at low power).</summary>
    public double EgtRise;

    /// <summary>Relative extra fuel flow.</summary>
    public double FuelFlowFactor;
}

/// <summary>
/// A first-order model of a CFM56-5B in service: static maps from N1 command to each parameter
/// (at altitude EGT and fuel flow fall), spool and thermal lags between them (the core leads the
/// fan, fuel flow leads on acceleration, EGT follows both, oil temperature takes minutes, oil
/// quantity drops as oil is drawn into the sumps), and per-engine character drawn from the engine
/// serial number. Nothing here is an OEM model: the figures are chosen to look like A320 engine
/// data (idle N1 about 20%, take-off EGT about 850 degC with a 950 degC red line, cruise fuel flow
/// about 1,250 kg/h per engine).
/// </summary>
internal sealed class EngineModel
{
    private const double N1TauUp = 2.2;
    private const double N1TauDown = 3.0;
    private const double N2TauUp = 1.5;
    private const double N2TauDown = 2.3;
    private const double FuelTau = 0.4;
    private const double EgtTau = 5.0;
    private const double OilPressureTau = 2.0;
    private const double OilTemperatureTau = 420;
    private const double GulpTau = 90;
    private const double ConsumptionQtPerHour = 0.12;
    private const double WanderTau = 120;

    // Per-engine character.
    private readonly double _n1Trim;
    private readonly double _n2Offset;
    private readonly double _egtOffset;
    private readonly double _fuelFactor;
    private readonly double _oilPressureOffset;
    private readonly double _oilTemperatureOffset;
    private readonly double _oilQuantityStatic;
    private readonly double _n1VibrationBase;
    private readonly double _n2VibrationBase;
    private readonly double _wanderSigma;

    private SimRandom _rng;
    private double _n1;
    private double _n2;
    private double _fuel;
    private double _egt;
    private double _oilPressure;
    private double _oilTemperature;
    private double _gulp;
    private double _consumed;
    private double _wander;
    private double _n1VibrationNoise;
    private double _n2VibrationNoise;

    public EngineModel(int serial, EngineCondition condition, SimRandom processRandom)
    {
        var c = new SimRandom(SimRandom.Hash("engine-character:" + serial.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _n1Trim = c.Uniform(-0.003, 0.003);
        _n2Offset = c.Uniform(-0.6, 0.6);
        _egtOffset = c.Uniform(-20, 25);
        _fuelFactor = 1 + c.Uniform(-0.015, 0.015);
        _oilPressureOffset = c.Uniform(-3, 3);
        _oilTemperatureOffset = c.Uniform(-4, 4);
        _oilQuantityStatic = c.Uniform(14.5, 18);
        _n1VibrationBase = c.Uniform(0.15, 0.45);
        _n2VibrationBase = c.Uniform(0.1, 0.35);
        ClockPpm = c.Uniform(-50, 50);
        _wanderSigma = 0.25;
        _egtOffset += condition.EgtOffset;
        _n2Offset += condition.N2Offset;
        _fuelFactor *= 1 + condition.FuelFlowFactor;
        _n1VibrationBase += condition.N1VibrationOffset;
        _n2VibrationBase += condition.N2VibrationOffset;
        _rng = processRandom;

        // The recording starts with the engine running at ground idle, oil still warming.
        _n1 = ThrustSchedule.GroundIdleN1 * (1 + _n1Trim);
        _n2 = CoreSpeed(_n1) + _n2Offset;
        _fuel = Fuel(_n1, 0);
        _egt = Egt(_n1, 0) + _egtOffset;
        _oilPressure = OilPressureFor(_n2);
        _oilTemperature = 48 + _oilTemperatureOffset;
        _gulp = GulpFor(_n2);
    }

    /// <summary>Transmit clock error of this engine's control unit, parts per million.</summary>
    public double ClockPpm { get; }

    /// <summary>Oil quantity with the engine stopped, qt.</summary>
    public double OilQuantityStatic => _oilQuantityStatic;

    /// <summary>The true values after the last <see cref="Step"/>, indexed by <see cref="EngineParameter"/>.</summary>
    public double[] Values { get; } = new double[EngineParameters.Count];

    /// <summary>Advances the engine by <paramref name="dt"/> seconds.</summary>
    /// <param name="dt">Step length, seconds.</param>
    /// <param name="n1Command">N1 demanded by the thrust schedule, %.</param>
    /// <param name="altitude">Altitude fraction 0..1.</param>
    /// <param name="turbulence">Aircraft-wide turbulence disturbance on this engine.</param>
    /// <param name="faults">Physical fault effects at this step.</param>
    public void Step(double dt, double n1Command, double altitude, in TurbulenceEffects turbulence, in PhysicalFaultEffects faults)
    {
        // Slow autothrust/FADEC wander so that steady cruise is not a flat line (drawn every step, fault or not).
        _wander += (-_wander * dt / WanderTau) + (_wanderSigma * Math.Sqrt(2 * dt / WanderTau) * _rng.Gaussian());
        _n1VibrationNoise += (-_n1VibrationNoise * dt / 2) + (0.02 * Math.Sqrt(dt) * _rng.Gaussian());
        _n2VibrationNoise += (-_n2VibrationNoise * dt / 2) + (0.02 * Math.Sqrt(dt) * _rng.Gaussian());

        double command = (n1Command * (1 + _n1Trim)) + (n1Command > 60 ? _wander : 0) + turbulence.N1;
        double n1Tau = command > _n1 ? N1TauUp : N1TauDown;
        _n1 += (command - _n1) * Lag(dt, n1Tau);
        double n2Target = CoreSpeed(command) + _n2Offset;
        _n2 += (n2Target - _n2) * Lag(dt, n2Target > _n2 ? N2TauUp : N2TauDown);

        // The control unit schedules fuel ahead of the fan on acceleration (and cuts it on deceleration).
        double scheduled = Fuel(_n1 + (1.2 * (command - _n1)), altitude);
        _fuel += (scheduled - _fuel) * Lag(dt, FuelTau);
        double steadyFuel = Fuel(_n1, altitude);

        double x = Thrust(_n1);
        double egtTarget = Egt(_n1, altitude) + _egtOffset + (0.04 * (_fuel - steadyFuel)) + (faults.EgtRise * (0.4 + (0.6 * x)));
        _egt += (egtTarget - _egt) * Lag(dt, EgtTau);

        double oilPressureTarget = OilPressureFor(_n2);
        _oilPressure += (oilPressureTarget - _oilPressure) * Lag(dt, OilPressureTau);
        double oilTemperatureTarget = 62 + (38 * CoreFraction(_n2)) - (5 * altitude) + _oilTemperatureOffset;
        _oilTemperature += (oilTemperatureTarget - _oilTemperature) * Lag(dt, OilTemperatureTau);
        _gulp += (GulpFor(_n2) - _gulp) * Lag(dt, GulpTau);
        _consumed += ConsumptionQtPerHour * dt / 3600;

        double oilQuantity = Math.Max(0.5, _oilQuantityStatic - _gulp - _consumed - faults.OilLost);
        // A leak costs pressure in proportion, and sharply once the pump starts to draw air.
        double oilPressure = _oilPressure - (0.8 * faults.OilLost) - (oilQuantity < 5 ? 4 * (5 - oilQuantity) : 0);

        double n1Fraction = _n1 / 100;
        double n2Fraction = _n2 / 100;
        double n1Vibration = _n1VibrationBase + (0.9 * n1Fraction * n1Fraction) + (0.15 * Math.Exp(-Square((_n1 - 62) / 6)))
            + _n1VibrationNoise + turbulence.N1Vibration + (faults.N1VibrationRise * (0.4 + (0.6 * n1Fraction * n1Fraction)));
        double n2Vibration = _n2VibrationBase + (0.75 * Square(n2Fraction * n2Fraction)) + _n2VibrationNoise + turbulence.N2Vibration
            + (faults.N2VibrationRise * (0.4 + (0.6 * n2Fraction * n2Fraction)));

        var v = Values;
        v[(int)EngineParameter.N1] = _n1;
        v[(int)EngineParameter.N2] = _n2;
        v[(int)EngineParameter.EGT] = _egt;
        v[(int)EngineParameter.FuelFlow] = _fuel * _fuelFactor * (1 + faults.FuelFlowFactor);
        v[(int)EngineParameter.OilPressure] = Math.Max(0, oilPressure);
        v[(int)EngineParameter.OilTemperature] = _oilTemperature + faults.OilTemperatureRise;
        v[(int)EngineParameter.OilQuantity] = Math.Max(0, oilQuantity + turbulence.OilQuantity);
        v[(int)EngineParameter.N1Vibration] = Math.Max(0, n1Vibration);
        v[(int)EngineParameter.N2Vibration] = Math.Max(0, n2Vibration);
    }

    private static double Lag(double dt, double tau) => 1 - Math.Exp(-dt / tau);

    private static double Square(double x) => x * x;

    /// <summary>0 at ground idle, 1 at about take-off N1.</summary>
    private static double Thrust(double n1) => Math.Clamp((n1 - 20) / 75, 0, 1.1);

    private static double CoreFraction(double n2) => Math.Clamp((n2 - 58) / 40, 0, 1.1);

    private static double CoreSpeed(double n1) => 58.5 + (40 * Math.Pow(Thrust(n1), 0.7));

    private static double Fuel(double n1, double altitude)
    {
        double x = Thrust(n1);
        return Math.Max(200, (290 + (4100 * x * x)) * (1 - (0.62 * altitude)));
    }

    private static double Egt(double n1, double altitude) => 420 + (460 * Math.Pow(Thrust(n1), 1.6)) - (110 * altitude);

    private double OilPressureFor(double n2) => 24 + (36 * CoreFraction(n2)) + _oilPressureOffset;

    private static double GulpFor(double n2) => 2.0 + (1.5 * CoreFraction(n2));
}
