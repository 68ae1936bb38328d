using System.Globalization;
using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Core.Summaries;

/// <summary>Counters the frame layer reports (bad frames, resynchronisation), handed over at the end.</summary>
/// <param name="FramesGood">Frames with a good checksum.</param>
/// <param name="BadByteRuns">Runs of skipped bytes.</param>
/// <param name="BadBytes">Skipped bytes.</param>
/// <param name="ChecksumFailures">Frames with a bad checksum.</param>
/// <param name="Truncated">Recording cut off mid-frame.</param>
public readonly record struct FrameCounters(long FramesGood, long BadByteRuns, long BadBytes, long ChecksumFailures, bool Truncated);

/// <summary>Identity of the flight being summarised (from the capture header or the live session).</summary>
/// <param name="Tail">Aircraft registration.</param>
/// <param name="AircraftType">Aircraft type.</param>
/// <param name="FlightId">Flight identifier.</param>
/// <param name="StartUtc">Recording start.</param>
public sealed record FlightIdentity(string Tail, string AircraftType, string FlightId, DateTimeOffset StartUtc);

/// <summary>
/// Decodes, validates and accumulates a flight's words into a <see cref="FlightSummary"/> in
/// constant memory: per channel a handful of counters and a fixed histogram, whatever the length
/// of the flight. <see cref="Add"/> is allocation-free.
/// </summary>
public sealed class FlightSummaryBuilder
{
    /// <summary>Histogram bins per channel for the percentile.</summary>
    public const int HistogramBins = 4096;

    private const int MaxListedUnknownLabels = 64;
    private const double MicrosPerSecond = 1_000_000.0;

    private readonly LabelTable _table;
    private readonly ChannelState[] _state;
    private readonly DecodedValue[] _decoded;
    private readonly DecodedValue[] _valid;
    private readonly bool[] _unknownSeen = new bool[256 * 4];
    private readonly List<string> _unknownLabels = [];
    private readonly int[] _serialHigh;
    private readonly int[] _serialLow;
    private long _words;
    private long _parityErrors, _unknownWords, _ncd, _fw, _ft, _outOfRange, _malformedBcd, _clockJumps, _overflows;
    private ulong _firstMicros = ulong.MaxValue;
    private ulong _lastMicros;

    /// <summary>Creates a builder for flights decoded with <paramref name="table"/>.</summary>
    public FlightSummaryBuilder(LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _state = new ChannelState[table.Channels.Length];
        for (int i = 0; i < _state.Length; i++)
        {
            var c = table.Channels[i];
            _state[i] = new ChannelState(c.Field.ValidMin, c.Field.ValidMax, (ulong)c.Entry.StaleAfter.TotalMicroseconds);
        }

        _decoded = new DecodedValue[Math.Max(1, table.MaxFieldsPerWord)];
        _valid = new DecodedValue[_decoded.Length];
        _serialHigh = table.Channels.Where(c => c.Parameter == SerialHighParameter).Select(c => c.Id).ToArray();
        _serialLow = table.Channels.Where(c => c.Parameter == SerialLowParameter).Select(c => c.Id).ToArray();
    }

    /// <summary>Parameter name of the engine serial number's digits 1-3 (label 046 in the shipped table).</summary>
    public const string SerialHighParameter = "SerialHigh";

    /// <summary>Parameter name of the engine serial number's digits 4-6 (label 047 in the shipped table).</summary>
    public const string SerialLowParameter = "SerialLow";

    /// <summary>The table words are decoded with.</summary>
    public LabelTable Table => _table;

    /// <summary>Words added so far.</summary>
    public long Words => _words;

    /// <summary>
    /// Adds one received word. Returns the values that passed every check (normal SSM, in range),
    /// for conditioning; the span is valid until the next call.
    /// </summary>
    /// <param name="timestampMicros">Adapter timestamp.</param>
    /// <param name="word">Raw ARINC 429 word.</param>
    /// <param name="adapterOverflow">The adapter reported words lost before this one.</param>
    public ReadOnlySpan<DecodedValue> Add(ulong timestampMicros, uint word, bool adapterOverflow = false)
    {
        _words++;
        if (adapterOverflow)
        {
            _overflows++;
        }

        if (_firstMicros == ulong.MaxValue)
        {
            _firstMicros = timestampMicros;
        }
        else if (timestampMicros < _lastMicros)
        {
            _clockJumps++;
        }

        _lastMicros = timestampMicros;
        var outcome = _table.Decode(word, _decoded, out int n);
        if (outcome != DecodeOutcome.Decoded)
        {
            if (outcome == DecodeOutcome.ParityError)
            {
                _parityErrors++;
            }
            else
            {
                _unknownWords++;
                NoteUnknown(word);
            }

            return default;
        }

        int valid = 0;
        for (int i = 0; i < n; i++)
        {
            var v = _decoded[i];
            ref var s = ref _state[v.ChannelId];
            s.Touch(timestampMicros);
            switch (v.Status)
            {
                case WordStatus.NoComputedData:
                    _ncd++;
                    continue;
                case WordStatus.FailureWarning:
                    _fw++;
                    continue;
                case WordStatus.FunctionalTest:
                    _ft++;
                    continue;
            }

            if ((v.Checks & ValueChecks.MalformedBcd) != 0)
            {
                _malformedBcd++;
                continue;
            }

            if ((v.Checks & ValueChecks.OutOfRange) != 0)
            {
                _outOfRange++;
                continue;
            }

            s.Add(v.Value);
            _valid[valid++] = v;
        }

        return _valid.AsSpan(0, valid);
    }

    /// <summary>Sets the number of points conditioning's Hampel stage replaced on a channel.</summary>
    public void SetSpikes(int channelId, long count) => _state[channelId].Spikes = count;

    /// <summary>Builds the summary. The builder can keep accumulating afterwards.</summary>
    public FlightSummary Build(FlightIdentity flight, FrameCounters frames)
    {
        ArgumentNullException.ThrowIfNull(flight);
        var engines = new List<EngineSummary>();
        var aircraft = new List<ParameterSummary>();
        var gaps = new List<GapReport>();
        var missing = new List<string>();
        long stale = 0;
        foreach (int position in _table.Channels.Select(c => c.EnginePosition).Distinct().Order())
        {
            var list = new List<ParameterSummary>();
            foreach (var c in _table.Channels.Where(c => c.EnginePosition == position))
            {
                ref var s = ref _state[c.Id];
                list.Add(s.ToSummary(c.Parameter, c.Unit));
                if (s.Count == 0)
                {
                    missing.Add(c.DisplayName);
                }

                // A label that stopped for good before the end of the recording is a gap too.
                var (gapCount, longest) = s.GapsUntil(_lastMicros);
                if (gapCount > 0)
                {
                    gaps.Add(new GapReport(c.DisplayName, gapCount, longest / MicrosPerSecond));
                    stale += gapCount;
                }
            }

            if (position == 0)
            {
                aircraft.AddRange(list);
            }
            else
            {
                engines.Add(new EngineSummary(position, SerialOf(position), list));
            }
        }

        return new FlightSummary
        {
            Tail = flight.Tail,
            AircraftType = flight.AircraftType,
            FlightId = flight.FlightId,
            LabelTable = new TableReference(_table.Info.Name, _table.Info.Sha256),
            StartUtc = flight.StartUtc,
            DurationSeconds = _firstMicros == ulong.MaxValue ? 0 : (_lastMicros - Math.Min(_firstMicros, _lastMicros)) / MicrosPerSecond,
            Words = _words,
            Engines = engines,
            Aircraft = aircraft,
            DataQuality = new DataQuality
            {
                FramesGood = frames.FramesGood,
                BadByteRuns = frames.BadByteRuns,
                BadBytes = frames.BadBytes,
                ChecksumFailures = frames.ChecksumFailures,
                Truncated = frames.Truncated,
                AdapterOverflows = _overflows,
                ParityErrors = _parityErrors,
                UnknownLabelWords = _unknownWords,
                UnknownLabels = [.. _unknownLabels],
                NoComputedData = _ncd,
                FailureWarnings = _fw,
                FunctionalTests = _ft,
                OutOfRange = _outOfRange,
                MalformedBcd = _malformedBcd,
                ClockJumps = _clockJumps,
                StaleEvents = stale,
                Gaps = gaps,
                MissingChannels = missing,
            },
        };
    }

    /// <summary>The engine serial number as last told by the bus ("779123"), or null.</summary>
    public string? SerialOf(int position)
    {
        double? hi = LastOf(_serialHigh, position);
        double? lo = LastOf(_serialLow, position);
        return hi is null || lo is null
            ? null
            : ((int)hi.Value).ToString("000", CultureInfo.InvariantCulture) + ((int)lo.Value).ToString("000", CultureInfo.InvariantCulture);
    }

    private double? LastOf(int[] channels, int position)
    {
        foreach (int id in channels)
        {
            if (_table.Channels[id].EnginePosition == position && _state[id].Count > 0)
            {
                return _state[id].Last;
            }
        }

        return null;
    }

    private void NoteUnknown(uint word)
    {
        var w = new ArincWord(word);
        int slot = (w.Label << 2) | w.Sdi;
        if (!_unknownSeen[slot] && _unknownLabels.Count < MaxListedUnknownLabels)
        {
            _unknownSeen[slot] = true;
            _unknownLabels.Add($"{w.LabelOctal}/SDI{Convert.ToString(w.Sdi, 2).PadLeft(2, '0')}");
        }
    }

    private struct ChannelState(double min, double max, ulong staleMicros)
    {
        private readonly double _lo = min;
        private readonly double _span = max > min ? max - min : 1;
        private readonly double _binsPerUnit = HistogramBins / (max > min ? max - min : 1);
        private readonly ulong _staleMicros = staleMicros;
        private int[]? _histogram;
        private ulong _lastSeen = ulong.MaxValue;
        private double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _sum;

        public long Count;
        public long Spikes;
        public long GapCount;
        public ulong LongestGapMicros;
        public double Last;

        public void Touch(ulong now)
        {
            if (_lastSeen != ulong.MaxValue && now > _lastSeen)
            {
                ulong gap = now - _lastSeen;
                if (gap > _staleMicros)
                {
                    GapCount++;
                    LongestGapMicros = Math.Max(LongestGapMicros, gap);
                }
            }

            _lastSeen = now;
        }

        /// <summary>Gaps including a trailing one from the last word of this channel to <paramref name="end"/>.</summary>
        public readonly (long Count, ulong LongestMicros) GapsUntil(ulong end)
        {
            if (_lastSeen != ulong.MaxValue && end > _lastSeen && end - _lastSeen > _staleMicros)
            {
                return (GapCount + 1, Math.Max(LongestGapMicros, end - _lastSeen));
            }

            return (GapCount, LongestGapMicros);
        }

        public void Add(double v)
        {
            Count++;
            Last = v;
            _sum += v;
            _min = Math.Min(_min, v);
            _max = Math.Max(_max, v);
            _histogram ??= new int[HistogramBins];
            int bin = (int)((v - _lo) * _binsPerUnit);
            _histogram[Math.Clamp(bin, 0, HistogramBins - 1)]++;
        }

        public readonly ParameterSummary ToSummary(string parameter, string unit)
        {
            if (Count == 0)
            {
                return new ParameterSummary(parameter, unit, 0, null, null, null, null, Spikes);
            }

            // p95: the upper edge of the bin holding the 95th-percentile rank, clamped to the observed range.
            long rank = (long)Math.Ceiling(0.95 * Count);
            long seen = 0;
            double p95 = _max;
            for (int i = 0; i < HistogramBins; i++)
            {
                seen += _histogram![i];
                if (seen >= rank)
                {
                    p95 = Math.Clamp(_lo + ((i + 1) * _span / HistogramBins), _min, _max);
                    break;
                }
            }

            return new ParameterSummary(parameter, unit, Count, _min, _max, _sum / Count, p95, Spikes);
        }
    }
}
