using System.Globalization;
using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Simulator.Output;

namespace EdgeGateway.Simulator.Cmapss;

/// <summary>One engine of a C-MAPSS aircraft: its position, the trajectory unit it carries and its serial number.</summary>
/// <param name="Position">Engine position.</param>
/// <param name="Unit">C-MAPSS unit number.</param>
/// <param name="Serial">Six-digit serial number.</param>
public sealed record CmapssEngine(int Position, int Unit, int Serial);

/// <summary>
/// Plays an aircraft whose engines carry C-MAPSS trajectories: one flight per cycle, every label of
/// the table whose parameter maps to a C-MAPSS column (see <see cref="ParameterColumns"/>) sent at
/// its expected rate with the cycle's value, plus the serial-number labels. The value carries a
/// seeded dither of one resolution step, so the average over the gateway's snapshot window
/// recovers the value below the label's resolution. Deterministic for equal arguments.
/// </summary>
public static class CmapssFlight
{
    /// <summary>Bus parameter to C-MAPSS column (the labels of <c>firmware-config/label-tables/cmapss-demo.json</c>).</summary>
    public static IReadOnlyDictionary<string, string> ParameterColumns { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OpSetting1"] = "setting1",
        ["OpSetting2"] = "setting2",
        ["ThrottleResolverAngle"] = "setting3",
        ["T24"] = "s2",
        ["T30"] = "s3",
        ["T50"] = "s4",
        ["P30"] = "s7",
        ["Nf"] = "s8",
        ["Nc"] = "s9",
        ["Ps30"] = "s11",
        ["Phi"] = "s12",
        ["NRf"] = "s13",
        ["NRc"] = "s14",
        ["BPR"] = "s15",
        ["HtBleed"] = "s17",
        ["W31"] = "s20",
        ["W32"] = "s21",
    };

    /// <summary>Default flight length: long enough for the 100 s snapshot window and a margin either side.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(240);

    /// <summary>Adapter clock at the first word.</summary>
    public const ulong TimestampOffsetMicros = 1_000_000;

    /// <summary>Writes cycle <paramref name="cycle"/> of every engine as a capture at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">A unit has fewer cycles than asked.</exception>
    public static long WriteCapture(LabelTable table, CmapssTrajectories data, IReadOnlyList<CmapssEngine> engines, int cycle, string tail, DateTimeOffset startUtc, TimeSpan duration, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(engines);
        foreach (var e in engines)
        {
            if (cycle < 1 || cycle > data.Cycles(e.Unit))
            {
                throw new ArgumentException($"unit {e.Unit} has {data.Cycles(e.Unit)} cycles; cycle {cycle} asked for engine {e.Position}", nameof(cycle));
            }
        }

        string flightId = string.Create(CultureInfo.InvariantCulture, $"{tail}-C{cycle:D4}");
        var header = new CaptureHeader(tail, $"{table.Info.AircraftType} {table.Info.EngineType}", flightId, Path.GetFileName(table.Info.SourceFile), table.Info.Sha256, FlightFiles.AdapterModel, FlightFiles.AdapterFirmware, startUtc)
        {
            Metadata = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["simulator.cmapss.file"] = Path.GetFileName(data.Path),
                ["simulator.cmapss.cycle"] = cycle.ToString(CultureInfo.InvariantCulture),
                ["simulator.cmapss.units"] = string.Join(' ', engines.Select(e => $"{e.Position}:{e.Unit}")),
                ["simulator.engineSerials"] = string.Join(' ', engines.Select(e => e.Serial.ToString("D6", CultureInfo.InvariantCulture))),
            },
        };

        // Every (channel, engine) stream, with its value for this cycle and its period.
        var streams = new List<(int Channel, byte Bus, double Value, long PeriodMicros, double Step, SimRandom Rng)>();
        foreach (var e in engines)
        {
            var row = data.Row(e.Unit, cycle);
            foreach (var c in table.Channels.Where(c => c.EnginePosition == e.Position))
            {
                double? value = c.Parameter switch
                {
                    "SerialHigh" => e.Serial / 1000,
                    "SerialLow" => e.Serial % 1000,
                    _ => ParameterColumns.TryGetValue(c.Parameter, out var col) ? row[col] : null,
                };
                if (value is null)
                {
                    continue;
                }

                long period = (long)Math.Round(1_000_000 / c.Entry.ExpectedRateHz);
                double step = c.Field.Encoding == ArincEncoding.Bnr ? c.Field.Resolution : 0;
                streams.Add((c.Id, (byte)(e.Position - 1), value.Value, period, step, SimRandom.Stream(cycle, "cmapss", (e.Position * 1000) + c.Id)));
            }
        }

        long end = (long)duration.TotalMicroseconds;
        var queue = new PriorityQueue<int, (long, int)>();
        for (int i = 0; i < streams.Count; i++)
        {
            // Spread the streams over the first period so words interleave on the bus.
            queue.Enqueue(i, (streams[i].PeriodMicros * i / streams.Count, i));
        }

        long words = 0;
        using var writer = CaptureWriter.Create(path, header);
        while (queue.TryDequeue(out int i, out var due) && due.Item1 < end)
        {
            var s = streams[i];
            double v = s.Value + (s.Step * (s.Rng.NextDouble() - 0.5) * 2);
            uint word = table.Encode(s.Channel, v);
            writer.Write(new AdapterFrame(s.Bus, TimestampOffsetMicros + (ulong)due.Item1, word, AdapterStatus.None));
            streams[i] = s; // keep the advanced random state
            words++;
            queue.Enqueue(i, (due.Item1 + s.PeriodMicros, i));
        }

        return words;
    }
}
