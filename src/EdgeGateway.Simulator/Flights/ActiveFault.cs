namespace EdgeGateway.Simulator.Flights;

/// <summary>
/// A fault resolved for one flight: start, end, the parameter it hits and its magnitudes, with
/// its own random stream (so a fault never shifts the noise of anything else).
/// </summary>
internal sealed class ActiveFault
{
    /// <summary>Bearing wear: vibration rise per hour at full speed, units.</summary>
    public const double BearingRisePerHour = 4;

    /// <summary>Bearing wear: largest rise, units.</summary>
    public const double BearingRiseMax = 3.5;

    /// <summary>Oil leak rate, qt per hour.</summary>
    public const double OilLeakQtPerHour = 4;

    /// <summary>EGT margin loss at full thrust, degC.</summary>
    public const double EgtRise = 35;

    /// <summary>EGT margin loss: seconds to develop fully.</summary>
    public const double EgtOnsetSeconds = 180;

    /// <summary>EGT margin loss: relative extra fuel flow.</summary>
    public const double EgtFuelFactor = 0.015;

    /// <summary>Sensor drift per hour as a fraction of the parameter's span.</summary>
    public const double DriftSpanPerHour = 0.3;

    /// <summary>Noise burst: one-sigma noise as a fraction of the span.</summary>
    public const double BurstSigmaSpan = 0.03;

    private readonly SimRandom _initialRng;
    private SimRandom _rng;
    private bool _stuckCaptured;
    private double _stuckValue;

    public ActiveFault(FaultSpec spec, int index, double startSeconds, double endSeconds, EngineParameter parameter, double sign, SimRandom rng)
    {
        Spec = spec;
        Index = index;
        StartSeconds = startSeconds;
        EndSeconds = endSeconds;
        Parameter = parameter;
        Sign = sign;
        _rng = rng;
        _initialRng = rng;
    }

    public FaultSpec Spec { get; }

    /// <summary>A copy in its initial state (the random stream is a struct, so the copy restarts it).</summary>
    public ActiveFault Fresh() => new(Spec, Index, StartSeconds, EndSeconds, Parameter, Sign, _initialRng);

    public int Index { get; }

    public FaultKind Kind => Spec.Kind;

    public int Engine => Spec.Engine;

    public double StartSeconds { get; }

    public double EndSeconds { get; }

    /// <summary>The parameter hit (sensor faults, bearing wear); unused for the others.</summary>
    public EngineParameter Parameter { get; }

    /// <summary>Direction of a drift: +1 or -1.</summary>
    public double Sign { get; }

    public bool IsActive(double t) => t >= StartSeconds && t < EndSeconds;

    /// <summary>The parameters whose values this fault changes.</summary>
    public IReadOnlyList<EngineParameter> AffectedParameters => Kind switch
    {
        FaultKind.BearingWear => [Parameter, EngineParameter.OilTemperature],
        FaultKind.OilLeak => [EngineParameter.OilQuantity, EngineParameter.OilPressure],
        FaultKind.EgtMarginLoss => [EngineParameter.EGT, EngineParameter.FuelFlow],
        _ => [Parameter],
    };

    /// <summary>Magnitudes for the labels file.</summary>
    public SortedDictionary<string, double> Settings => Kind switch
    {
        FaultKind.BearingWear => new(StringComparer.Ordinal) { ["vibrationRisePerHour"] = BearingRisePerHour, ["vibrationRiseMax"] = BearingRiseMax },
        FaultKind.OilLeak => new(StringComparer.Ordinal) { ["oilLossQtPerHour"] = OilLeakQtPerHour },
        FaultKind.EgtMarginLoss => new(StringComparer.Ordinal) { ["egtRiseAtTakeOffThrust"] = EgtRise, ["onsetSeconds"] = EgtOnsetSeconds, ["fuelFlowFactor"] = EgtFuelFactor },
        FaultKind.SensorDrift => new(StringComparer.Ordinal) { ["driftPerHour"] = Sign * DriftSpanPerHour * EngineParameters.Span(Parameter) },
        FaultKind.SensorNoiseBurst => new(StringComparer.Ordinal) { ["noiseSigma"] = BurstSigmaSpan * EngineParameters.Span(Parameter) },
        _ => new(StringComparer.Ordinal),
    };

    /// <summary>Adds this fault's physical effect at time <paramref name="t"/> (engine faults only).</summary>
    public void AddPhysical(double t, ref PhysicalFaultEffects fx)
    {
        if (!IsActive(t))
        {
            return;
        }

        double since = t - StartSeconds;
        switch (Kind)
        {
            case FaultKind.BearingWear:
                double rise = Math.Min(BearingRiseMax, BearingRisePerHour * since / 3600);
                if (Parameter == EngineParameter.N1Vibration)
                {
                    fx.N1VibrationRise += rise;
                }
                else
                {
                    fx.N2VibrationRise += rise;
                }

                fx.OilTemperatureRise += 2 * rise;
                break;
            case FaultKind.OilLeak:
                fx.OilLost += OilLeakQtPerHour * since / 3600;
                break;
            case FaultKind.EgtMarginLoss:
                double share = Math.Min(1, since / EgtOnsetSeconds);
                fx.EgtRise += EgtRise * share;
                fx.FuelFlowFactor += EgtFuelFactor * share;
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Applies a sensor fault to a reading of <see cref="Parameter"/> at time <paramref name="t"/>.
    /// Returns false when the word is not sent (dropout).
    /// </summary>
    public bool ApplySensor(double t, ref double reading)
    {
        if (!IsActive(t))
        {
            return true;
        }

        switch (Kind)
        {
            case FaultKind.SensorStuck:
                if (!_stuckCaptured)
                {
                    _stuckCaptured = true;
                    _stuckValue = reading;
                }

                reading = _stuckValue;
                return true;
            case FaultKind.SensorDrift:
                reading += Sign * DriftSpanPerHour * EngineParameters.Span(Parameter) * (t - StartSeconds) / 3600;
                return true;
            case FaultKind.SensorNoiseBurst:
                double span = EngineParameters.Span(Parameter);
                reading += BurstSigmaSpan * span * _rng.Gaussian();
                if (_rng.NextDouble() < 0.03)
                {
                    reading += _rng.Uniform(-0.1, 0.1) * span;
                }

                return true;
            case FaultKind.SensorDropout:
                return false;
            default:
                return true;
        }
    }
}
