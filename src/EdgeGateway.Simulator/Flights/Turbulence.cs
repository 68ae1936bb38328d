namespace EdgeGateway.Simulator.Flights;

/// <summary>Turbulence disturbance of one engine at one step.</summary>
internal struct TurbulenceEffects
{
    /// <summary>N1 command disturbance (autothrust chasing the airspeed), %.</summary>
    public double N1;

    /// <summary>Fan vibration spike, units.</summary>
    public double N1Vibration;

    /// <summary>Core vibration spike, units.</summary>
    public double N2Vibration;

    /// <summary>Oil sloshing in the tank, qt.</summary>
    public double OilQuantity;
}

/// <summary>
/// Turbulence: encounters drawn up front as a Poisson process per phase (none on the ground),
/// each a few seconds to 20 s of short vibration spikes on every engine at once, with small
/// disturbances of N1 (and through it EGT and fuel flow) and oil quantity. Aircraft-wide and
/// short, unlike a fault, which is one engine and lasting. Disturbances start only until two
/// seconds before an encounter's labelled end, so they have died away by then.
/// </summary>
internal sealed class Turbulence
{
    /// <summary>Longest encounter, seconds.</summary>
    public const double MaxEncounterSeconds = 20;

    /// <summary>Parameters an encounter disturbs.</summary>
    public static readonly IReadOnlyList<string> Parameters =
    [
        nameof(EngineParameter.N1Vibration), nameof(EngineParameter.N2Vibration), nameof(EngineParameter.N1),
        nameof(EngineParameter.N2), nameof(EngineParameter.EGT), nameof(EngineParameter.FuelFlow), nameof(EngineParameter.OilQuantity),
    ];

    private const double SpikeProbabilityPerSecond = 2.5;
    private const double SpikeTau = 0.3;
    private const double N1Tau = 1.0;
    private const double SloshTau = 0.8;

    /// <summary>No new disturbance in an encounter's last seconds, so it has died away by the labelled end.</summary>
    private const double QuietTailSeconds = 2;

    private readonly List<(double Start, double End, double Intensity, FlightPhaseKind Phase)> _events = [];
    private readonly TurbulenceEffects[] _effects;
    private SimRandom _rng;
    private int _next;

    public Turbulence(FlightPlan plan, double perHourInCruise, int engineCount, SimRandom rng)
    {
        _rng = rng;
        _effects = new TurbulenceEffects[engineCount];
        if (perHourInCruise <= 0)
        {
            return;
        }

        double lastEnd = 0;
        foreach (var phase in plan.Phases)
        {
            double multiplier = phase.Kind switch
            {
                FlightPhaseKind.Climb or FlightPhaseKind.Descent => 2,
                FlightPhaseKind.Cruise => 1,
                FlightPhaseKind.Landing => 3,
                _ => 0,
            };
            if (multiplier == 0)
            {
                continue;
            }

            // Approach only: nothing after touchdown (60% of the landing phase).
            double phaseEnd = phase.Kind == FlightPhaseKind.Landing ? phase.StartSeconds + (0.6 * phase.DurationSeconds) : phase.EndSeconds;
            double meanGap = 3600 / (perHourInCruise * multiplier);
            double t = Math.Max(phase.StartSeconds, lastEnd);
            while (true)
            {
                t += _rng.Exponential(meanGap);
                double length = _rng.Uniform(3, MaxEncounterSeconds);
                double intensity = _rng.Uniform(0.3, 1);
                if (t + length >= phaseEnd)
                {
                    break;
                }

                _events.Add((t, t + length, intensity, phase.Kind));
                t += length + 5;
                lastEnd = t;
            }
        }
    }

    /// <summary>The encounters, in time order.</summary>
    public IReadOnlyList<(double Start, double End, double Intensity, FlightPhaseKind Phase)> Events => _events;

    /// <summary>True when <paramref name="t"/> lies inside an encounter.</summary>
    public bool IsActive(double t)
    {
        // Called in time order from the generator; a linear scan from the current event is enough.
        for (int i = Math.Max(0, _next - 1); i < _events.Count && _events[i].Start <= t; i++)
        {
            if (t < _events[i].End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Advances to time <paramref name="t"/> and returns each engine's disturbance.</summary>
    public ReadOnlySpan<TurbulenceEffects> Step(double t, double dt)
    {
        while (_next < _events.Count && _events[_next].End <= t)
        {
            _next++;
        }

        bool active = _next < _events.Count && _events[_next].Start <= t && t < _events[_next].End - QuietTailSeconds;
        double intensity = active ? _events[_next].Intensity : 0;
        double spikeDecay = Math.Exp(-dt / SpikeTau);
        double n1Decay = Math.Exp(-dt / N1Tau);
        double sloshDecay = Math.Exp(-dt / SloshTau);

        // A gust hits the whole aircraft: one draw decides whether a spike starts, each engine feels it differently.
        bool spike = active && _rng.NextDouble() < SpikeProbabilityPerSecond * dt;
        double gust = spike ? intensity * _rng.Uniform(0.4, 2.0) : 0;
        for (int e = 0; e < _effects.Length; e++)
        {
            ref var fx = ref _effects[e];
            fx.N1Vibration *= spikeDecay;
            fx.N2Vibration *= spikeDecay;
            fx.N1 *= n1Decay;
            fx.OilQuantity *= sloshDecay;
            if (spike)
            {
                double share = _rng.Uniform(0.6, 1.4);
                fx.N1Vibration += gust * share;
                fx.N2Vibration += 0.6 * gust * share;
            }

            if (active)
            {
                fx.N1 += intensity * 0.35 * Math.Sqrt(dt) * _rng.Gaussian();
                fx.OilQuantity += intensity * 0.25 * Math.Sqrt(dt) * _rng.Gaussian();
            }
        }

        return _effects;
    }
}
