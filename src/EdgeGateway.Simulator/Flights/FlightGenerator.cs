using System.Globalization;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Flights;

/// <summary>
/// Generates a deterministic flight of a twin-engine airliner as ARINC 429 words, with its ground
/// truth. The engines are stepped at <see cref="SimulationRateHz"/>; every label of the table whose
/// parameter the simulator models is transmitted at the table's expected rate with per-word jitter,
/// the transmitter's clock error and bus occupancy (a word occupies 36 bit times; a word due while
/// the bus is busy waits). Equal <see cref="FlightOptions"/> and label table give identical output.
/// </summary>
public sealed class FlightGenerator
{
    /// <summary>Engine model steps per second; word values are sampled from the latest step.</summary>
    public const int SimulationRateHz = 16;

    private const long StepMicros = 1_000_000 / SimulationRateHz;
    private const int SerialHigh = -1;
    private const int SerialLow = -2;
    private const double JitterFraction = 0.01;
    private const double MaxJitterFraction = 0.03;

    private readonly LabelTable _table;
    private readonly FlightOptions _options;
    private readonly int _engineCount;
    private readonly IReadOnlyList<int> _serials;
    private readonly List<ActiveFault> _resolvedFaults = [];
    private List<ActiveFault> _faults = [];

    /// <summary>Checks the options against the table and resolves faults (start, parameter) from the seed.</summary>
    /// <exception cref="FlightOptionsException">The options break a rule; every problem is listed.</exception>
    public FlightGenerator(LabelTable table, FlightOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        _table = table;
        _options = options;
        _engineCount = table.Info.EngineCount;
        var problems = options.Validate(_engineCount).ToList();
        if (problems.Count > 0)
        {
            throw new FlightOptionsException(problems);
        }

        _serials = options.ResolveEngineSerials(_engineCount);
        Plan = new FlightPlan(options.Duration.TotalSeconds);
        double duration = Plan.DurationSeconds;
        for (int i = 0; i < options.Faults.Count; i++)
        {
            var spec = options.Faults[i];
            var rng = SimRandom.Stream(options.Seed, "fault", i);

            // Every draw happens whether or not the spec fixes the value, so one fault's choices never depend on another's.
            double drawnStart = rng.Uniform(0.35, 0.65) * duration;
            var candidates = spec.Kind == FaultKind.BearingWear
                ? [EngineParameter.N1Vibration, EngineParameter.N2Vibration]
                : FaultKinds.SensorCandidates(spec.Kind);
            var drawnParameter = candidates[rng.NextInt(candidates.Count)];
            double sign = rng.NextDouble() < 0.5 ? -1 : 1;

            double start = spec.Start?.ResolveSeconds(duration) ?? drawnStart;
            var length = spec.Duration ?? (spec.Kind == FaultKind.SensorNoiseBurst ? FaultSpec.DefaultNoiseBurstDuration : (TimeSpan?)null);
            double end = length is { } d ? Math.Min(duration, start + d.TotalSeconds) : duration;
            _resolvedFaults.Add(new ActiveFault(spec, i, start, end, spec.Parameter ?? drawnParameter, sign, rng));
        }
    }

    /// <summary>The phase schedule.</summary>
    public FlightPlan Plan { get; }

    /// <summary>Engine serial numbers in effect, by position (index 0 = engine 1).</summary>
    public IReadOnlyList<int> EngineSerials => _serials;

    /// <summary>Deterioration of an engine (1-based position).</summary>
    public EngineCondition ConditionOf(int engine) => _options.EngineConditions?[engine - 1] ?? EngineCondition.New;

    /// <summary>Adapter channel of an engine's bus (0-based).</summary>
    public byte AdapterChannelOf(int engine) => _options.Buses == BusLayout.PerEngine ? (byte)(engine - 1) : (byte)0;

    /// <summary>
    /// Generates the flight into <paramref name="sink"/> (then calls <see cref="IWordSink.Complete"/>),
    /// optionally writing the 1 Hz samples CSV, and returns the ground truth.
    /// </summary>
    /// <param name="sink">Receives the words in timestamp order.</param>
    /// <param name="samplesCsv">When given, receives the samples CSV (format in the README).</param>
    /// <param name="args">Command-line arguments to record in the labels.</param>
    public FlightLabels Run(IWordSink sink, TextWriter? samplesCsv = null, IReadOnlyList<string>? args = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        long seed = _options.Seed;

        // Faults carry state (a stuck value, a noise stream): every run starts from fresh copies, so runs repeat.
        _faults = [.. _resolvedFaults.Select(f => f.Fresh())];
        double duration = Plan.DurationSeconds;
        long durationMicros = (long)Math.Round(duration * 1_000_000);
        var planRandom = SimRandom.Stream(seed, "plan");
        var schedule = new ThrustSchedule(Plan, ref planRandom);
        var turbulence = new Turbulence(Plan, _options.TurbulencePerHour, _engineCount, SimRandom.Stream(seed, "turbulence"));
        var engines = new EngineModel[_engineCount];
        for (int e = 0; e < _engineCount; e++)
        {
            engines[e] = new EngineModel(_serials[e], ConditionOf(e + 1), SimRandom.Stream(seed, "engine", e + 1));
        }

        var streams = BuildStreams(engines);
        var byEngineParameter = new WordStream?[_engineCount, EngineParameters.Count];
        foreach (var s in streams)
        {
            if (s.Parameter >= 0)
            {
                byEngineParameter[s.Engine - 1, s.Parameter] = s;
            }
        }

        bool highSpeed = _options.Speed == BusSpeed.High;
        long bitMicros = highSpeed ? 10 : 80;
        long wordMicros = 32 * bitMicros;
        long slotMicros = 36 * bitMicros;
        var busFree = new long[_engineCount];
        var queue = new PriorityQueue<WordStream, (long Time, int Index)>(streams.Count);
        foreach (var s in streams)
        {
            s.ScheduleNext(durationMicros, queue);
        }

        var samples = samplesCsv is null ? null : new SampleCsvWriter(samplesCsv, _options.EffectiveFlightId, _serials);
        samples?.WriteHeader();

        long words = 0;
        long steps = (durationMicros + StepMicros - 1) / StepMicros;
        const double dt = 1.0 / SimulationRateHz;
        int phaseIndex = 0;
        Span<PhysicalFaultEffects> effects = stackalloc PhysicalFaultEffects[_engineCount];
        for (long step = 0; step < steps; step++)
        {
            double t = step * dt;
            while (phaseIndex < Plan.Phases.Count - 1 && t >= Plan.Phases[phaseIndex].EndSeconds)
            {
                phaseIndex++;
            }

            var phase = Plan.Phases[phaseIndex];
            var (n1Command, altitude) = schedule.At(t, phase);
            var disturbance = turbulence.Step(t, dt);
            effects.Clear();
            foreach (var f in _faults)
            {
                f.AddPhysical(t, ref effects[f.Engine - 1]);
            }

            for (int e = 0; e < _engineCount; e++)
            {
                engines[e].Step(dt, n1Command, altitude, disturbance[e], effects[e]);
            }

            if (samples is not null && step > 0 && step % SimulationRateHz == 0)
            {
                long nowMicros = step * StepMicros;
                bool turbulent = turbulence.IsActive(t);
                for (int e = 0; e < _engineCount; e++)
                {
                    samples.WriteRow(t, e + 1, phase.Name, nowMicros, byEngineParameter, engines[e].Values, turbulent, _faults);
                }
            }

            long stepEnd = Math.Min((step + 1) * StepMicros, durationMicros);
            while (queue.TryPeek(out var stream, out var due) && due.Time < stepEnd)
            {
                queue.Dequeue();
                long start = due.Time;
                double tw = start / 1_000_000.0;
                bool sent = stream.TryRead(tw, engines, out double value);
                if (sent && start < busFree[stream.Bus])
                {
                    // The bus is still carrying another word: this one goes out when it is free.
                    stream.Pending = value;
                    queue.Enqueue(stream, (busFree[stream.Bus], stream.Index));
                    continue;
                }

                if (sent)
                {
                    busFree[stream.Bus] = start + slotMicros;
                    uint word = stream.Encode(value);
                    sink.Write(new BusWord(_options.TimestampOffsetMicros + (ulong)(start + wordMicros), stream.Bus, word, highSpeed));
                    stream.HeldValue = value;
                    stream.HeldAtMicros = start;
                    words++;
                }

                stream.ScheduleNext(durationMicros, queue);
            }
        }

        sink.Complete();
        samplesCsv?.Flush();
        return BuildLabels(words, turbulence, args ?? []);
    }

    private List<WordStream> BuildStreams(EngineModel[] engines)
    {
        var streams = new List<WordStream>();
        foreach (var channel in _table.Channels)
        {
            int parameter;
            if (string.Equals(channel.Parameter, "SerialHigh", StringComparison.Ordinal))
            {
                parameter = SerialHigh;
            }
            else if (string.Equals(channel.Parameter, "SerialLow", StringComparison.Ordinal))
            {
                parameter = SerialLow;
            }
            else if (Enum.TryParse<EngineParameter>(channel.Parameter, ignoreCase: false, out var p) && Enum.IsDefined(p))
            {
                parameter = (int)p;
            }
            else
            {
                continue;
            }

            // Only single-field labels of an engine position carry a modelled parameter.
            if (channel.EnginePosition < 1 || channel.EnginePosition > _engineCount || channel.Entry.Fields.Length != 1
                || channel.Entry.ExpectedRateHz <= 0 || channel.Field.Encoding == ArincEncoding.Discrete)
            {
                continue;
            }

            int engine = channel.EnginePosition;
            int index = streams.Count;
            var rng = SimRandom.Stream(_options.Seed, "word", channel.Id);
            double period = 1_000_000 / channel.Entry.ExpectedRateHz * (1 + (engines[engine - 1].ClockPpm * 1e-6));
            double phaseOffset = rng.NextDouble() * period;
            double sigma = JitterFraction * period;
            int serial = _serials[engine - 1];
            double fixedValue = parameter == SerialHigh ? serial / 1000 : parameter == SerialLow ? serial % 1000 : 0;
            var sensorFaults = _faults.Where(f => FaultKinds.IsSensorFault(f.Kind) && f.Engine == engine && (int)f.Parameter == parameter).ToArray();
            streams.Add(new WordStream(index, channel, engine, parameter, AdapterChannelOf(engine), period, phaseOffset, sigma, rng, fixedValue, sensorFaults));
        }

        return streams;
    }

    private FlightLabels BuildLabels(long words, Turbulence turbulence, IReadOnlyList<string> args)
    {
        var start = _options.StartUtc;
        DateTimeOffset At(double seconds) => start.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        string Serial(int engine) => _serials[engine - 1].ToString("D6", CultureInfo.InvariantCulture);

        var engines = Enumerable.Range(1, _engineCount).Select(e => new EngineLabel(e, Serial(e), AdapterChannelOf(e), ConditionOf(e))).ToArray();
        var phases = Plan.Phases.Select(p => new PhaseLabel(p.Name, Round(p.StartSeconds), Round(p.EndSeconds), At(p.StartSeconds), At(p.EndSeconds))).ToArray();
        var faults = _resolvedFaults.Select(f => new FaultLabel(
            FaultKinds.NameOf(f.Kind),
            f.Engine,
            Serial(f.Engine),
            FaultKinds.IsSensorFault(f.Kind),
            [.. f.AffectedParameters.Select(p => p.ToString())],
            Round(f.StartSeconds),
            Round(f.EndSeconds),
            At(f.StartSeconds),
            At(f.EndSeconds),
            f.Spec.ToString(),
            f.Settings)).ToArray();
        var encounters = turbulence.Events.Select(ev => new TurbulenceLabel(
            Round(ev.Start), Round(ev.End), Math.Round(ev.Intensity, 3), FlightPhase.NameOf(ev.Phase), Turbulence.Parameters)).ToArray();
        var info = _table.Info;
        return new FlightLabels(
            FlightLabels.CurrentFormatVersion,
            "EdgeGateway.Simulator",
            _options.Seed,
            [.. args],
            _options.TailNumber,
            _options.EffectiveFlightId,
            info.AircraftType,
            info.EngineType,
            info.Name,
            info.Sha256,
            start,
            Plan.DurationSeconds,
            _options.TimestampOffsetMicros,
            _options.Buses == BusLayout.PerEngine ? "per-engine" : "shared",
            _options.Speed == BusSpeed.High ? "high" : "low",
            _options.TurbulencePerHour,
            words,
            engines,
            phases,
            faults,
            encounters);
    }

    private static double Round(double seconds) => Math.Round(seconds, 6);

    /// <summary>One transmitted label of one engine: its schedule, noise stream and last value.</summary>
    internal sealed class WordStream
    {
        private readonly double _period;
        private readonly double _phaseOffset;
        private readonly double _sigma;
        private readonly double _fixedValue;
        private readonly ActiveFault[] _sensorFaults;
        private readonly double _noiseSigma;
        private readonly double _floor;
        private readonly byte _label;
        private readonly int _sdi;
        private readonly LabelField _field;
        private SimRandom _rng;
        private long _k;

        public WordStream(int index, Channel channel, int engine, int parameter, byte bus, double period, double phaseOffset, double sigma, SimRandom rng, double fixedValue, ActiveFault[] sensorFaults)
        {
            Index = index;
            Engine = engine;
            Parameter = parameter;
            Bus = bus;
            _period = period;
            _phaseOffset = phaseOffset;
            _sigma = sigma;
            _rng = rng;
            _fixedValue = fixedValue;
            _sensorFaults = sensorFaults;
            _noiseSigma = parameter >= 0 ? EngineParameters.NoiseSigma((EngineParameter)parameter) : 0;
            _floor = parameter >= 0 ? EngineParameters.Floor((EngineParameter)parameter) : 0;
            _label = channel.Entry.Label;
            _sdi = channel.Entry.Engines.First(kv => kv.Value == engine).Key;
            _field = channel.Field;
            StaleMicros = (long)channel.Entry.StaleAfter.TotalMicroseconds;
        }

        public int Index { get; }

        public int Engine { get; }

        /// <summary><see cref="EngineParameter"/> as int, or a serial-number half (negative).</summary>
        public int Parameter { get; }

        public byte Bus { get; }

        public long StaleMicros { get; }

        /// <summary>Value read for a word that waits for the bus.</summary>
        public double? Pending { get; set; }

        public double HeldValue { get; set; }

        public long HeldAtMicros { get; set; } = long.MinValue;

        public void ScheduleNext(long durationMicros, PriorityQueue<WordStream, (long, int)> queue)
        {
            double nominal = _phaseOffset + (_k * _period);
            double jitter = Math.Clamp(_sigma * _rng.Gaussian(), -MaxJitterFraction * _period, MaxJitterFraction * _period);
            _k++;
            long at = (long)Math.Round(nominal + jitter);
            if (at < durationMicros)
            {
                queue.Enqueue(this, (at, Index));
            }
        }

        /// <summary>The reading at <paramref name="t"/> seconds; false when the sensor is not transmitting.</summary>
        public bool TryRead(double t, EngineModel[] engines, out double value)
        {
            if (Pending is { } pending)
            {
                Pending = null;
                value = pending;
                return true;
            }

            if (Parameter < 0)
            {
                value = _fixedValue;
                return true;
            }

            // Noise is drawn for every word, sent or not, so faults never shift the stream.
            value = engines[Engine - 1].Values[Parameter] + (_noiseSigma * _rng.Gaussian());
            foreach (var f in _sensorFaults)
            {
                if (!f.ApplySensor(t, ref value))
                {
                    return false;
                }
            }

            value = Math.Max(_floor, value);
            return true;
        }

        public uint Encode(double value)
        {
            // Built from the codec's pieces rather than LabelTable.Encode, which looks the SDI up per call.
            uint data;
            int ssm;
            if (_field.Encoding == ArincEncoding.Bcd)
            {
                int digits = (int)Math.Min(Bcd.MaxValue(_field.Digits), Math.Round(Math.Abs(value) / _field.Resolution));
                data = Bcd.EncodeData(digits, _field.Digits);
                ssm = SsmRules.Encode(ArincEncoding.Bcd, WordStatus.Normal, value < 0);
            }
            else
            {
                data = Bnr.EncodeData(value, _field.Range, _field.SignificantBits);
                ssm = SsmRules.BnrNormal;
            }

            return ArincWord.Create(_label, _sdi, data, ssm).Raw;
        }
    }
}
