namespace EdgeGateway.ModelLab.Data;

/// <summary>
/// Where a command's data comes from: either <c>--sql file.sql [--set k=v]</c> or
/// <c>--csv file [--sep ,]</c>; roles from <c>--time --channels --label --group</c>, falling back
/// to the query file's <c>@time/@channels/@label/@group</c> directives.
/// </summary>
/// <param name="CsvPath">CSV file, or null.</param>
/// <param name="Separator">CSV separator (null = whitespace).</param>
/// <param name="SqlPath">Query file, or null.</param>
/// <param name="Settings">Query parameter values.</param>
/// <param name="Time">Time column option.</param>
/// <param name="Channels">Channel columns option.</param>
/// <param name="Label">Label column option.</param>
/// <param name="Group">Group column option.</param>
/// <param name="Gaps">Empty cells are gaps (<c>--gaps</c> or the query's <c>@gaps skip</c>).</param>
public sealed record DataSource(
    string? CsvPath,
    char? Separator,
    string? SqlPath,
    IReadOnlyDictionary<string, string> Settings,
    string? Time,
    IReadOnlyList<string> Channels,
    string? Label,
    string? Group,
    bool Gaps = false)
{
    /// <summary>Reads the data options from the command line.</summary>
    public static DataSource FromArgs(Cli.CliArgs args, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(args);
        var csv = args.Get(prefix + "csv");
        var sql = args.Get(prefix + "sql");
        if ((csv is null) == (sql is null))
        {
            throw new LabException($"give exactly one of --{prefix}csv FILE or --{prefix}sql QUERY.sql");
        }

        return new DataSource(
            csv,
            CsvTableReader.ParseSeparator(args.Get("sep")),
            sql,
            args.GetSettings(),
            args.Get("time"),
            args.GetList("channels"),
            args.Get("label"),
            args.Get("group"),
            args.Flag("gaps"));
    }

    /// <summary>Reads the table and resolves column roles.</summary>
    public (LabTable Table, ColumnRoles Roles) Load()
    {
        LabTable table;
        IReadOnlyDictionary<string, string> directives = new Dictionary<string, string>();
        if (SqlPath is not null)
        {
            var q = SqlQueryFile.Load(SqlPath);
            directives = q.Directives;
            table = SqlTableReader.Run(q, Settings);
        }
        else
        {
            table = CsvTableReader.Read(CsvPath!, Separator);
            if (table.RowCount == 0)
            {
                throw new LabException($"{table.Source}: no data rows after the header");
            }
        }

        string? Pick(string? option, string key) => option ?? (directives.TryGetValue(key, out var v) ? v : null);
        var time = Pick(Time, "time");
        var label = Pick(Label, "label");
        var group = Pick(Group, "group");
        var channels = Channels.Count > 0
            ? Channels
            : directives.TryGetValue("channels", out var ch)
                ? ch.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : table.ColumnNames.Where(n => n != time && n != label && n != group && table.IsNumeric(n)).ToArray();
        foreach (var c in channels.Concat(new[] { time, label, group }.OfType<string>()))
        {
            if (!table.HasColumn(c))
            {
                throw new LabException($"{table.Source}: column '{c}' not found; columns are: {string.Join(", ", table.ColumnNames)}");
            }
        }

        var gaps = Gaps || (directives.TryGetValue("gaps", out var g) && g.Trim() == "skip");
        return (table, new ColumnRoles(channels, time, label, group, gaps));
    }
}
