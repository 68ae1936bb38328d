using System.Globalization;

namespace EdgeGateway.Simulator.Cmapss;

/// <summary>
/// NASA C-MAPSS trajectories (<c>train_FD00x.txt</c>/<c>test_FD00x.txt</c>): whitespace-separated
/// rows of unit, cycle, three operating settings and 21 sensors, one row per flight cycle. Cite:
/// A. Saxena, K. Goebel, D. Simon, N. Eklund, "Damage Propagation Modeling for Aircraft Engine
/// Run-to-Failure Simulation", PHM 2008.
/// </summary>
public sealed class CmapssTrajectories
{
    /// <summary>Column names after unit and cycle, in file order: <c>setting1..3</c>, <c>s1..s21</c>.</summary>
    public static readonly IReadOnlyList<string> Columns =
        [.. Enumerable.Range(1, 3).Select(i => $"setting{i}"), .. Enumerable.Range(1, 21).Select(i => $"s{i}")];

    private readonly Dictionary<int, List<double[]>> _units;

    private CmapssTrajectories(string path, Dictionary<int, List<double[]>> units)
    {
        Path = path;
        _units = units;
    }

    /// <summary>Source file.</summary>
    public string Path { get; }

    /// <summary>Units in the file.</summary>
    public IEnumerable<int> Units => _units.Keys.Order();

    /// <summary>Reads a C-MAPSS file.</summary>
    /// <exception cref="InvalidDataException">A row is malformed (names the line).</exception>
    public static CmapssTrajectories Load(string path)
    {
        var units = new Dictionary<int, List<double[]>>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0)
            {
                continue;
            }

            if (f.Length < 2 + Columns.Count
                || !int.TryParse(f[0], CultureInfo.InvariantCulture, out int unit)
                || !int.TryParse(f[1], CultureInfo.InvariantCulture, out int cycle))
            {
                throw new InvalidDataException($"{path}:{lineNo}: not a C-MAPSS row ({f.Length} fields; unit, cycle, 3 settings and 21 sensors expected)");
            }

            var row = new double[Columns.Count];
            for (int i = 0; i < row.Length; i++)
            {
                if (!double.TryParse(f[2 + i], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
                {
                    throw new InvalidDataException($"{path}:{lineNo}: field {3 + i} '{f[2 + i]}' is not a number");
                }
            }

            if (!units.TryGetValue(unit, out var rows))
            {
                units[unit] = rows = [];
            }

            if (cycle != rows.Count + 1)
            {
                throw new InvalidDataException($"{path}:{lineNo}: unit {unit} cycle {cycle} follows cycle {rows.Count}");
            }

            rows.Add(row);
        }

        return new CmapssTrajectories(path, units);
    }

    /// <summary>Cycles recorded for a unit (0 when the unit is absent).</summary>
    public int Cycles(int unit) => _units.TryGetValue(unit, out var rows) ? rows.Count : 0;

    /// <summary>The row of a unit's cycle (1-based), by <see cref="Columns"/> name.</summary>
    public IReadOnlyDictionary<string, double> Row(int unit, int cycle)
    {
        var row = _units[unit][cycle - 1];
        return Columns.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => row[p.i], StringComparer.Ordinal);
    }
}
