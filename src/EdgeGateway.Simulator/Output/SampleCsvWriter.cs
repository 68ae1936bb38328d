using System.Globalization;
using EdgeGateway.Simulator.Flights;

namespace EdgeGateway.Simulator.Output;

/// <summary>
/// Writes the samples CSV: one row per engine per second. The measured columns hold what a
/// receiver of the bus would hold at that second (the last transmitted value, sensor faults and
/// noise included, before quantisation; empty once the label is stale); the <c>true_</c> columns
/// hold the engine's physical state. Label columns say what is going on.
/// </summary>
internal sealed class SampleCsvWriter
{
    private readonly TextWriter _writer;
    private readonly string _flightId;
    private readonly IReadOnlyList<int> _serials;
    private readonly char[] _buffer = new char[64];

    public SampleCsvWriter(TextWriter writer, string flightId, IReadOnlyList<int> serials)
    {
        _writer = writer;
        _flightId = flightId.Contains(',', StringComparison.Ordinal) || flightId.Contains('"', StringComparison.Ordinal)
            ? "\"" + flightId.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : flightId;
        _serials = serials;
    }

    public void WriteHeader()
    {
        _writer.Write("flight,time_s,engine,serial,phase");
        foreach (var p in EngineParameters.All)
        {
            _writer.Write(',');
            _writer.Write(p.ToString());
        }

        foreach (var p in EngineParameters.All)
        {
            _writer.Write(",true_");
            _writer.Write(p.ToString());
        }

        _writer.Write(",turbulence,fault,anomaly\n");
    }

    public void WriteRow(
        double t,
        int engine,
        string phase,
        long nowMicros,
        FlightGenerator.WordStream?[,] streams,
        double[] trueValues,
        bool turbulent,
        List<ActiveFault> faults)
    {
        var w = _writer;
        w.Write(_flightId);
        w.Write(',');
        WriteNumber(t, "0.###");
        w.Write(',');
        WriteNumber(engine, "0");
        w.Write(',');
        w.Write(_serials[engine - 1].ToString("D6", CultureInfo.InvariantCulture));
        w.Write(',');
        w.Write(phase);
        for (int p = 0; p < EngineParameters.Count; p++)
        {
            w.Write(',');
            var s = streams[engine - 1, p];
            if (s is not null && s.HeldAtMicros != long.MinValue && nowMicros - s.HeldAtMicros <= s.StaleMicros)
            {
                WriteNumber(s.HeldValue, "0.####");
            }
        }

        for (int p = 0; p < EngineParameters.Count; p++)
        {
            w.Write(',');
            WriteNumber(trueValues[p], "0.####");
        }

        w.Write(turbulent ? ",1," : ",0,");
        bool any = false;
        foreach (var f in faults)
        {
            if (f.Engine == engine && f.IsActive(t))
            {
                if (any)
                {
                    w.Write('+');
                }

                w.Write(FaultKinds.NameOf(f.Kind));
                any = true;
            }
        }

        if (!any)
        {
            w.Write("none");
        }

        w.Write(any ? ",1\n" : ",0\n");
    }

    private void WriteNumber(double value, string format)
    {
        if (value.TryFormat(_buffer, out int n, format, CultureInfo.InvariantCulture))
        {
            _writer.Write(_buffer, 0, n);
        }
        else
        {
            _writer.Write(value.ToString(format, CultureInfo.InvariantCulture));
        }
    }
}
