namespace EdgeGateway.Simulator.Flights;

/// <summary>
/// What the crew and autothrust ask of the engines over a flight: the N1 command and the altitude
/// (as a fraction of cruise altitude) at each moment. The seed varies take-off (FLEX) thrust,
/// climb and cruise N1, approach thrust and the taxi breakaway bursts; the shape follows the phases.
/// </summary>
internal sealed class ThrustSchedule
{
    /// <summary>Ground idle N1, %.</summary>
    public const double GroundIdleN1 = 20.5;

    private readonly FlightPlan _plan;
    private readonly double _flexN1;
    private readonly double _climbN1;
    private readonly double _cruiseN1;
    private readonly double _approachN1;
    private readonly double _reverseN1;
    private readonly double _levelOffAt;
    private readonly (double Start, double End, double N1)[] _bursts;

    public ThrustSchedule(FlightPlan plan, ref SimRandom rng)
    {
        _plan = plan;
        _flexN1 = rng.Uniform(86, 93);
        _climbN1 = _flexN1 - rng.Uniform(2.5, 4.5);
        _cruiseN1 = rng.Uniform(82, 85.5);
        _approachN1 = rng.Uniform(48, 56);
        _reverseN1 = rng.Uniform(62, 72);
        _levelOffAt = rng.Uniform(0.65, 0.8);

        // Breakaway thrust on the taxiways: a burst every three minutes or so, at least one per taxi.
        var bursts = new List<(double, double, double)>();
        foreach (var kind in (ReadOnlySpan<FlightPhaseKind>)[FlightPhaseKind.TaxiOut, FlightPhaseKind.TaxiIn])
        {
            var phase = plan[kind];
            int count = Math.Max(1, (int)Math.Round(phase.DurationSeconds / 180));
            double length = Math.Min(8, phase.DurationSeconds * 0.1);
            for (int i = 0; i < count; i++)
            {
                double slot = phase.DurationSeconds / count;
                double start = phase.StartSeconds + (i * slot) + rng.Uniform(0.05, 0.8) * (slot - length);
                bursts.Add((start, start + length, rng.Uniform(26, 32)));
            }
        }

        _bursts = [.. bursts];
    }

    /// <summary>N1 command (%) and altitude fraction (0 on the ground, 1 at cruise) at time <paramref name="t"/>.</summary>
    public (double N1, double Altitude) At(double t, FlightPhase phase)
    {
        double x = phase.DurationSeconds > 0 ? Math.Clamp((t - phase.StartSeconds) / phase.DurationSeconds, 0, 1) : 0;
        switch (phase.Kind)
        {
            case FlightPhaseKind.TaxiOut:
            case FlightPhaseKind.TaxiIn:
                foreach (var (start, end, n1) in _bursts)
                {
                    if (t >= start && t < end)
                    {
                        return (n1, 0);
                    }
                }

                return (GroundIdleN1, 0);
            case FlightPhaseKind.TakeOff:
                // Stabilise at 50% N1, then set take-off thrust; lift-off at 60% of the phase.
                double n = x < 0.15 ? 50 : _flexN1;
                return (n, x < 0.6 ? 0 : 0.03 * (x - 0.6) / 0.4);
            case FlightPhaseKind.Climb:
                double alt = 0.03 + (0.97 * (1 - Math.Pow(1 - x, 1.5)));
                return (_climbN1 + (1.2 * x), alt);
            case FlightPhaseKind.Cruise:
                return (_cruiseN1, 1);
            case FlightPhaseKind.Descent:
                double a = 1 - (0.92 * x);
                bool levelOff = x >= _levelOffAt && x < _levelOffAt + 0.06;
                return (levelOff ? 56 : 28 + (6 * a), a);
            case FlightPhaseKind.Landing:
                double altitude = x < 0.6 ? 0.08 * (1 - (x / 0.6)) : 0;
                double landingN1 = x switch
                {
                    < 0.6 => _approachN1,
                    < 0.65 => GroundIdleN1 + 2,
                    < 0.75 => _reverseN1,
                    _ => GroundIdleN1,
                };
                return (landingN1, altitude);
            default:
                return (GroundIdleN1, 0);
        }
    }
}
