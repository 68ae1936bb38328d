using System.Security.Cryptography;
using System.Text;

namespace EdgeGateway.ModelLab.Data;

/// <summary>Which columns of a table play which role.</summary>
/// <param name="Channels">Numeric input channels, in model input order.</param>
/// <param name="Time">Time (or cycle) column; optional.</param>
/// <param name="Label">0/1 label column; optional.</param>
/// <param name="Group">Group column (unit, flight, engine); rows of one group are contiguous windows.</param>
/// <param name="Gaps">
/// Empty (NaN) channel cells are gaps, not errors: a window holding one is never trained on or
/// scored, as on the gateway (data exported by <c>edgegateway replay --conditioned-out</c>).
/// Infinite values are still rejected.
/// </param>
public sealed record ColumnRoles(IReadOnlyList<string> Channels, string? Time, string? Label, string? Group, bool Gaps = false);

/// <summary>
/// A validated, fully numeric view of a <see cref="LabTable"/>: finite channel values, 0/1 labels,
/// groups in row order. Built by <see cref="Create"/>, which stops on the first bad cell.
/// </summary>
public sealed class Dataset
{
    private Dataset(LabTable table, ColumnRoles roles, double[][] channels, double[] time, string[] groups, int[]? labels)
    {
        Table = table;
        Roles = roles;
        Channels = channels;
        Time = time;
        Groups = groups;
        Labels = labels;
        Gap = new bool[table.RowCount];
        RequiredGap = new bool[table.RowCount];
        var optional = Core.Models.OtherEngineStandIn.Pairs(roles.Channels).Select(p => p.Column).ToHashSet();
        for (var c = 0; c < channels.Length; c++)
        {
            var ch = channels[c];
            for (var r = 0; r < ch.Length; r++)
            {
                var nan = double.IsNaN(ch[r]);
                Gap[r] |= nan;
                RequiredGap[r] |= nan && !optional.Contains(c);
            }
        }
    }

    /// <summary>True for rows with a gap in any channel (only with <see cref="ColumnRoles.Gaps"/>).</summary>
    public bool[] Gap { get; }

    /// <summary>
    /// True for rows with a gap in a channel that is not an input of the other engine with a stand-in
    /// (<c>P@other</c> beside <c>P</c>, see <see cref="Core.Models.OtherEngineStandIn"/>): a window
    /// holding such a row is not scored; a gap only in a <c>P@other</c> column is stood in for.
    /// </summary>
    public bool[] RequiredGap { get; }

    /// <summary>The underlying table.</summary>
    public LabTable Table { get; }

    /// <summary>Column roles.</summary>
    public ColumnRoles Roles { get; }

    /// <summary>Channel values, <c>[channel][row]</c>.</summary>
    public double[][] Channels { get; }

    /// <summary>Time per row (row index when there is no time column).</summary>
    public double[] Time { get; }

    /// <summary>Group per row (one group when there is no group column).</summary>
    public string[] Groups { get; }

    /// <summary>0/1 labels per row, or null.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => Table.RowCount;

    /// <summary>
    /// Validates and converts. <paramref name="minRowsPerGroup"/> is the rows a window needs (the window
    /// length, or a RUL model's minimum history when it pads): every group must hold at least that many.
    /// </summary>
    public static Dataset Create(LabTable table, ColumnRoles roles, int minRowsPerGroup, bool rejectConstant = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Channels.Count == 0)
        {
            throw new LabException($"{table.Source}: no channel columns given");
        }

        var channels = new double[roles.Channels.Count][];
        for (var c = 0; c < channels.Length; c++)
        {
            var name = roles.Channels[c];
            var v = table.Numbers(name);
            for (var r = 0; r < v.Length; r++)
            {
                if (!double.IsFinite(v[r]) && !(roles.Gaps && double.IsNaN(v[r])))
                {
                    var what = double.IsNaN(v[r]) ? "missing or NaN" : "infinite";
                    throw new LabException($"{table.Source}: {table.RowLabel(r)}, column '{name}': value is {what}");
                }
            }

            if (rejectConstant && v.Length > 0 && v.All(x => x == v[0]))
            {
                throw new LabException($"{table.Source}: channel '{name}' is constant ({v[0]}) in all {v.Length} rows; leave it out of the channels");
            }

            channels[c] = v;
        }

        var time = roles.Time is { } tc ? table.Numbers(tc) : Enumerable.Range(0, table.RowCount).Select(i => (double)i).ToArray();
        if (roles.Time is { } tcol)
        {
            for (var r = 0; r < time.Length; r++)
            {
                if (!double.IsFinite(time[r]))
                {
                    throw new LabException($"{table.Source}: {table.RowLabel(r)}, column '{tcol}': time is missing or not finite");
                }
            }
        }

        var groups = roles.Group is { } g ? table.Texts(g) : Enumerable.Repeat("all", table.RowCount).ToArray();
        int[]? labels = null;
        if (roles.Label is { } lc)
        {
            var lv = table.Numbers(lc);
            labels = new int[lv.Length];
            for (var r = 0; r < lv.Length; r++)
            {
                if (lv[r] is not (0.0 or 1.0))
                {
                    throw new LabException($"{table.Source}: {table.RowLabel(r)}, column '{lc}': label value {lv[r]} is not 0 or 1");
                }

                labels[r] = (int)lv[r];
            }
        }

        var ds = new Dataset(table, roles, channels, time, groups, labels);
        foreach (var (group, start, length) in ds.GroupRuns())
        {
            if (length < minRowsPerGroup)
            {
                var where = roles.Group is null ? "the data" : $"group '{group}' ({roles.Group})";
                throw new LabException($"{table.Source}: {where} has {length} rows from {table.RowLabel(start)}, fewer than the {minRowsPerGroup} a window needs");
            }
        }

        return ds;
    }

    /// <summary>Contiguous runs of equal group values, in row order.</summary>
    public IEnumerable<(string Group, int Start, int Length)> GroupRuns()
    {
        var start = 0;
        for (var r = 1; r <= RowCount; r++)
        {
            if (r == RowCount || Groups[r] != Groups[start])
            {
                yield return (Groups[start], start, r - start);
                start = r;
            }
        }
    }

    /// <summary>
    /// SHA-256 over the column names and the exact bits of every value used for training, in row
    /// order: the same data gives the same hash whether it came from CSV, Parquet or SQLite.
    /// </summary>
    public string ContentHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void AddText(string s)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(s));
            sha.AppendData([0]);
        }

        var buf = new byte[8];
        void AddNumber(double d)
        {
            BitConverter.TryWriteBytes(buf, d);
            sha.AppendData(buf);
        }

        AddText(string.Join(",", Roles.Channels));
        for (var r = 0; r < RowCount; r++)
        {
            AddText(Groups[r]);
            AddNumber(Time[r]);
            foreach (var ch in Channels)
            {
                AddNumber(ch[r]);
            }

            if (Labels is not null)
            {
                AddNumber(Labels[r]);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
