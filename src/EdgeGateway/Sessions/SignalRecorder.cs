using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Landing;

namespace EdgeGateway.Sessions;

/// <summary>
/// Keeps the last <see cref="Capacity"/> seconds of every channel of the current (or last) landing,
/// raw and conditioned, on the conditioned grid (1 s): the crew page draws the signal behind an
/// alert from it. Raw is the last decoded value in each grid second (spikes included); conditioned
/// is what the <see cref="LandingProcessor"/> produced for that grid point (NaN = gap).
/// Written by the session loop (one lock per batch), read by the local API.
/// </summary>
public sealed class SignalRecorder : IConditionedSink
{
    /// <summary>Seconds kept per channel.</summary>
    public const int Capacity = 900;

    private const long MicrosPerGridPoint = 1_000_000;

    private readonly LabelTable _table;
    private readonly Lock _gate = new();
    private readonly Ring[] _raw;
    private readonly Ring[] _conditioned;
    private readonly DecodedValue[] _decoded;

    /// <summary>Creates a recorder for the channels of <paramref name="table"/>.</summary>
    public SignalRecorder(LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _raw = [.. table.Channels.Select(_ => new Ring())];
        _conditioned = [.. table.Channels.Select(_ => new Ring())];
        _decoded = new DecodedValue[Math.Max(1, table.MaxFieldsPerWord)];
    }

    /// <summary>Forgets everything (a new landing starts).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            foreach (var r in _raw)
            {
                r.Clear();
            }

            foreach (var r in _conditioned)
            {
                r.Clear();
            }
        }
    }

    /// <summary>Records the decoded values of a batch of frames (the last value of each second per channel).</summary>
    public void RecordRaw(ReadOnlySpan<AdapterFrame> frames)
    {
        lock (_gate)
        {
            foreach (ref readonly var f in frames)
            {
                if (_table.Decode(f.Word, _decoded, out int n) != DecodeOutcome.Decoded)
                {
                    continue;
                }

                long index = (long)(f.TimestampMicros / MicrosPerGridPoint);
                for (int i = 0; i < n; i++)
                {
                    _raw[_decoded[i].ChannelId].Set(index, (float)_decoded[i].Value);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void OnConditioned(int channelId, long firstGridIndex, ReadOnlySpan<float> values)
    {
        lock (_gate)
        {
            var ring = _conditioned[channelId];
            for (int i = 0; i < values.Length; i++)
            {
                ring.Set(firstGridIndex + i, values[i]);
            }
        }
    }

    /// <summary>
    /// The channel an alert's evidence names: <c>ENG2.N2Vibration</c>, <c>ENG2 N2Vibration</c> or a
    /// bare parameter of <paramref name="enginePosition"/> (case, spaces and underscores ignored).
    /// </summary>
    public bool TryFindChannel(string name, int enginePosition, out Channel channel)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalise(name);
        foreach (var c in _table.Channels)
        {
            string param = Normalise(c.Parameter);
            if (key == $"ENG{c.EnginePosition}{param}" || (c.EnginePosition == enginePosition && key == param))
            {
                channel = c;
                return true;
            }
        }

        channel = null!;
        return false;
    }

    /// <summary>The last <paramref name="seconds"/> grid points of a channel; NaN where nothing was recorded.</summary>
    public SignalSeries Snapshot(int channelId, int seconds = Capacity)
    {
        seconds = Math.Clamp(seconds, 1, Capacity);
        lock (_gate)
        {
            var raw = _raw[channelId];
            var cond = _conditioned[channelId];
            long last = Math.Max(raw.Last, cond.Last);
            if (last < 0)
            {
                return new SignalSeries(0, [], []);
            }

            long first = Math.Max(0, last - seconds + 1);
            int len = (int)(last - first + 1);
            var r = new float[len];
            var c = new float[len];
            for (int i = 0; i < len; i++)
            {
                r[i] = raw.Get(first + i);
                c[i] = cond.Get(first + i);
            }

            return new SignalSeries(first, r, c);
        }
    }

    private static string Normalise(string s) =>
        string.Concat(s.Where(ch => ch is not (' ' or '_' or '.' or '-' or ':'))).ToUpperInvariant();

    /// <summary>A ring of the last <see cref="Capacity"/> grid points.</summary>
    private sealed class Ring
    {
        private readonly float[] _values = new float[Capacity];
        private readonly long[] _index = new long[Capacity];

        public Ring() => Clear();

        public long Last { get; private set; }

        public void Clear()
        {
            Array.Fill(_index, -1);
            Last = -1;
        }

        public void Set(long index, float value)
        {
            if (index <= Last - Capacity)
            {
                return; // older than the window
            }

            int slot = (int)(index % Capacity);
            _index[slot] = index;
            _values[slot] = value;
            Last = Math.Max(Last, index);
        }

        public float Get(long index)
        {
            int slot = (int)(index % Capacity);
            return _index[slot] == index ? _values[slot] : float.NaN;
        }
    }
}

/// <summary>A stretch of one channel on the 1 s grid.</summary>
/// <param name="FirstGridIndex">Grid index (seconds of the adapter clock) of the first point.</param>
/// <param name="Raw">Last decoded value in each second; NaN where none.</param>
/// <param name="Conditioned">Conditioned value at each grid point; NaN for a gap or not yet produced.</param>
public sealed record SignalSeries(long FirstGridIndex, float[] Raw, float[] Conditioned);
