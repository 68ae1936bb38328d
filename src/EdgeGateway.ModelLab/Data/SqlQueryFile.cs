using System.Text.RegularExpressions;

namespace EdgeGateway.ModelLab.Data;

/// <summary>
/// A versioned <c>.sql</c> file kept next to the model it feeds. Header comments declare its
/// parameters and the roles of its result columns:
/// <code>
/// -- @param cmapss folder holding the C-MAPSS text files
/// -- @sqlite fleet {{fleet_db}}          (import every table of a SQLite file as schema "fleet")
/// -- @time cycle
/// -- @group unit_key
/// -- @label label
/// -- @channels s2,s3,s4
/// </code>
/// <c>{{name}}</c> in the body is replaced by the value given with <c>--set name=value</c>.
/// Queries must end with ORDER BY so that the result (and the training-data hash) is deterministic.
/// </summary>
public sealed partial class SqlQueryFile
{
    private SqlQueryFile(string path, string text)
    {
        Path = path;
        Text = text;
        var directives = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameters = new List<string>();
        var sqlite = new List<(string Alias, string Template)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var m = DirectiveRegex().Match(line);
            if (!m.Success)
            {
                continue;
            }

            var key = m.Groups[1].Value;
            var value = m.Groups[2].Value.Trim();
            switch (key)
            {
                case "param":
                    parameters.Add(value.Split(' ', 2)[0]);
                    break;
                case "sqlite":
                    var parts = value.Split(' ', 2, StringSplitOptions.TrimEntries);
                    if (parts.Length != 2)
                    {
                        throw new LabException($"{FileName}: '@sqlite' needs an alias and a path, got '{value}'");
                    }

                    sqlite.Add((parts[0], parts[1]));
                    break;
                default:
                    directives[key] = value;
                    break;
            }
        }

        Directives = directives;
        Parameters = parameters;
        SqliteAttachments = sqlite;
    }

    /// <summary>Path of the file.</summary>
    public string Path { get; }

    /// <summary>File name for messages.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The SQL text as written.</summary>
    public string Text { get; }

    /// <summary>Role directives: <c>time</c>, <c>group</c>, <c>label</c>, <c>channels</c>.</summary>
    public IReadOnlyDictionary<string, string> Directives { get; }

    /// <summary>Declared parameter names.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>SQLite files to import as DuckDB schemas before the query runs.</summary>
    public IReadOnlyList<(string Alias, string Template)> SqliteAttachments { get; }

    /// <summary>Loads a query file.</summary>
    public static SqlQueryFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new LabException($"{path}: query file not found");
        }

        return new SqlQueryFile(path, File.ReadAllText(path));
    }

    /// <summary>Replaces <c>{{name}}</c> placeholders; stops when a parameter has no value.</summary>
    public string Substitute(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return PlaceholderRegex().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (!values.TryGetValue(name, out var v))
            {
                throw new LabException($"{FileName}: parameter '{name}' has no value; pass --set {name}=VALUE");
            }

            // Values land inside SQL string literals.
            return v.Replace("'", "''", StringComparison.Ordinal);
        });
    }

    [GeneratedRegex(@"^--\s*@(\w+)\s+(.*)$")]
    private static partial Regex DirectiveRegex();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex PlaceholderRegex();
}
