using System.Globalization;
using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;

namespace EdgeGateway.Landing;

/// <summary>
/// Writes the conditioned grid a landing's models see, one CSV row per engine and grid point:
/// <c>time_s,engine,&lt;parameter&gt;...</c>, where <c>time_s</c> is the grid time on the adapter
/// clock (grid index x period, in seconds) and an empty cell is a gap (the gateway never scores a
/// window holding one). The model lab trains and evaluates on exactly these values, so the lab and
/// the box see the same numbers. Rows are held until the end (a 14-hour landing at 1 Hz is about
/// 50,000 rows per engine).
/// </summary>
public sealed class ConditionedExport : IConditionedSink
{
    private readonly LabelTable _table;
    private readonly TimeSpan _period;
    private readonly string[] _parameters;
    private readonly int[] _columnOf;
    private readonly SortedDictionary<(int Engine, long Grid), float[]> _rows = [];

    /// <summary>Creates an export of the engine channels of <paramref name="table"/> (identifier words such as BCD serial digits are left out).</summary>
    public ConditionedExport(LabelTable table, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _period = period;
        var engineChannels = table.Channels.Where(c => c.EnginePosition > 0 && c.Field.Encoding != ArincEncoding.Bcd).ToList();
        _parameters = [.. engineChannels.Select(c => c.Parameter).Distinct(StringComparer.Ordinal)];
        _columnOf = new int[table.Channels.Length];
        Array.Fill(_columnOf, -1);
        foreach (var c in engineChannels)
        {
            _columnOf[c.Id] = Array.IndexOf(_parameters, c.Parameter);
        }
    }

    /// <summary>The parameter columns, in label-table order.</summary>
    public IReadOnlyList<string> Parameters => _parameters;

    /// <summary>Rows held (engine x grid point).</summary>
    public int RowCount => _rows.Count;

    /// <summary>Replays <paramref name="capturePath"/> and writes its conditioned grid to <paramref name="csvPath"/>; returns the rows written.</summary>
    /// <exception cref="InvalidDataException">The capture header is unreadable.</exception>
    public static int Run(string capturePath, LabelTable table, string csvPath)
    {
        ArgumentNullException.ThrowIfNull(table);
        var export = new ConditionedExport(table, LandingProcessor.DefaultConditionedPeriod);
        using (var reader = CaptureReader.Open(capturePath))
        using (var processor = new LandingProcessor(table, sink: export))
        {
            var buffer = new AdapterFrame[CaptureReplay.BatchFrames];
            int n;
            while ((n = reader.Read(buffer)) > 0)
            {
                processor.Process(buffer.AsSpan(0, n));
            }

            processor.Complete(new FlightIdentity(reader.Header.TailNumber, reader.Header.AircraftType, reader.Header.FlightId, reader.Header.RecordingStartUtc), reader.Stats);
        }

        using var writer = new StreamWriter(csvPath, append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        export.Write(writer);
        return export.RowCount;
    }

    /// <inheritdoc/>
    public void OnConditioned(int channelId, long firstGridIndex, ReadOnlySpan<float> values)
    {
        int column = _columnOf[channelId];
        if (column < 0)
        {
            return;
        }

        int engine = _table.Channels[channelId].EnginePosition;
        for (int i = 0; i < values.Length; i++)
        {
            var key = (engine, firstGridIndex + i);
            if (!_rows.TryGetValue(key, out var row))
            {
                row = new float[_parameters.Length];
                Array.Fill(row, float.NaN);
                _rows.Add(key, row);
            }

            row[column] = values[i];
        }
    }

    /// <summary>Writes the header and the rows, ordered by engine then time (float values round-trip).</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("time_s,engine");
        foreach (var p in _parameters)
        {
            writer.Write(',');
            writer.Write(p);
        }

        writer.WriteLine();
        double seconds = _period.TotalSeconds;
        foreach (var ((engine, grid), row) in _rows)
        {
            writer.Write((grid * seconds).ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(engine.ToString(CultureInfo.InvariantCulture));
            foreach (float v in row)
            {
                writer.Write(',');
                if (!float.IsNaN(v))
                {
                    writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            writer.WriteLine();
        }
    }
}
