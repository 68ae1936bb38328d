using System.Globalization;

namespace EdgeGateway.ModelLab.Data;

/// <summary>
/// A rectangular table read from a CSV file or a SQL query. Cells are kept as numbers when the
/// source typed them, otherwise as text parsed on first numeric use, so a bad cell is reported with
/// its file, column and row instead of being turned into a silent NaN.
/// </summary>
public sealed class LabTable
{
    private readonly Dictionary<string, int> _index;
    private readonly double[]?[] _numbers;
    private readonly string?[]?[] _texts;
    private readonly Func<int, string> _rowLabel;

    /// <summary>Creates a table. Each column has either numbers or texts.</summary>
    public LabTable(string source, IReadOnlyList<string> names, double[]?[] numbers, string?[]?[] texts, int rowCount, Func<int, string> rowLabel)
    {
        ArgumentNullException.ThrowIfNull(names);
        Source = source;
        ColumnNames = names;
        _numbers = numbers;
        _texts = texts;
        RowCount = rowCount;
        _rowLabel = rowLabel;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!_index.TryAdd(names[i], i))
            {
                throw new LabException($"{source}: column '{names[i]}' appears twice");
            }
        }
    }

    /// <summary>Where the table came from (file or query file), used in messages.</summary>
    public string Source { get; }

    /// <summary>Column names in source order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>True when the column exists.</summary>
    public bool HasColumn(string name) => _index.ContainsKey(name);

    /// <summary>How a row is named in messages (CSV line number or query result row).</summary>
    public string RowLabel(int row) => _rowLabel(row);

    /// <summary>True when every non-empty cell of the column is a number.</summary>
    public bool IsNumeric(string name)
    {
        var i = IndexOf(name);
        if (_numbers[i] is not null)
        {
            return true;
        }

        foreach (var t in _texts[i]!)
        {
            if (!string.IsNullOrWhiteSpace(t) && !TryParse(t, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The column as numbers; empty cells become NaN (counted as missing by EDA, rejected by
    /// training); a non-numeric cell stops with its row and column.
    /// </summary>
    public double[] Numbers(string name)
    {
        var i = IndexOf(name);
        if (_numbers[i] is { } n)
        {
            return n;
        }

        var texts = _texts[i]!;
        var result = new double[RowCount];
        for (var r = 0; r < RowCount; r++)
        {
            var t = texts[r];
            if (string.IsNullOrWhiteSpace(t))
            {
                result[r] = double.NaN;
            }
            else if (!TryParse(t, out result[r]))
            {
                throw new LabException($"{Source}: {RowLabel(r)}, column '{name}': '{t}' is not a number");
            }
        }

        _numbers[i] = result;
        return result;
    }

    /// <summary>The column as text (numbers formatted invariantly).</summary>
    public string[] Texts(string name)
    {
        var i = IndexOf(name);
        if (_texts[i] is { } t)
        {
            return t.Select(s => s ?? string.Empty).ToArray();
        }

        return _numbers[i]!.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A new table with only the given rows (in the given order).</summary>
    public LabTable SelectRows(IReadOnlyList<int> rows, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var nums = new double[]?[ColumnNames.Count];
        var texts = new string?[]?[ColumnNames.Count];
        for (var c = 0; c < ColumnNames.Count; c++)
        {
            if (_numbers[c] is { } n)
            {
                nums[c] = rows.Select(r => n[r]).ToArray();
            }
            else
            {
                var t = _texts[c]!;
                texts[c] = rows.Select(r => t[r]).ToArray();
            }
        }

        var map = rows.ToArray();
        return new LabTable(source ?? Source, ColumnNames, nums, texts, rows.Count, r => _rowLabel(map[r]));
    }

    private int IndexOf(string name) =>
        _index.TryGetValue(name, out var i)
            ? i
            : throw new LabException($"{Source}: column '{name}' not found; columns are: {string.Join(", ", ColumnNames)}");

    internal static bool TryParse(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
