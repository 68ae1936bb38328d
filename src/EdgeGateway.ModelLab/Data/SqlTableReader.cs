using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;

namespace EdgeGateway.ModelLab.Data;

/// <summary>
/// Runs a <see cref="SqlQueryFile"/> in an embedded, in-memory DuckDB. DuckDB reads CSV and Parquet
/// itself (<c>read_csv</c>, <c>read_parquet</c>); SQLite files named by <c>@sqlite</c> are copied
/// table by table into a DuckDB schema through Microsoft.Data.Sqlite, because DuckDB's own SQLite
/// scanner is an extension downloaded at run time, which an offline build box cannot do.
/// </summary>
public static class SqlTableReader
{
    /// <summary>Runs the query with the given parameter values and returns its result.</summary>
    public static LabTable Run(SqlQueryFile query, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = query.Substitute(query.Text, values);
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        foreach (var (alias, template) in query.SqliteAttachments)
        {
            var file = query.Substitute(template, values);
            ImportSqlite(duck, alias, file, query.FileName);
        }

        try
        {
            using var cmd = duck.CreateCommand();
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            return ReadAll(reader, query.FileName);
        }
        catch (DbException ex)
        {
            throw new LabException($"{query.FileName}: query failed: {ex.Message}", ex);
        }
    }

    private static LabTable ReadAll(DbDataReader reader, string source)
    {
        var n = reader.FieldCount;
        var names = new string[n];
        var numeric = new bool[n];
        var nums = new List<double>[n];
        var texts = new List<string?>[n];
        for (var i = 0; i < n; i++)
        {
            names[i] = reader.GetName(i);
            var t = reader.GetFieldType(i);
            numeric[i] = t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long)
                || t == typeof(short) || t == typeof(byte) || t == typeof(sbyte) || t == typeof(decimal)
                || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(bool)
                || t == typeof(System.Numerics.BigInteger);
            nums[i] = [];
            texts[i] = [];
        }

        var rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < n; i++)
            {
                if (numeric[i])
                {
                    nums[i].Add(reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    texts[i].Add(reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new LabException($"{source}: the query returned no rows; check its parameters and input files");
        }

        var numbers = new double[]?[n];
        var strings = new string?[]?[n];
        for (var i = 0; i < n; i++)
        {
            if (numeric[i])
            {
                numbers[i] = [.. nums[i]];
            }
            else
            {
                strings[i] = [.. texts[i]];
            }
        }

        return new LabTable(source, names, numbers, strings, rows, r => $"result row {r + 1}");
    }

    private static void ImportSqlite(DuckDBConnection duck, string alias, string file, string source)
    {
        if (!File.Exists(file))
        {
            throw new LabException($"{source}: SQLite file '{file}' for schema '{alias}' not found");
        }

        using var lite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        lite.Open();
        var tables = new List<string>();
        using (var list = lite.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var r = list.ExecuteReader();
            while (r.Read())
            {
                tables.Add(r.GetString(0));
            }
        }

        Exec(duck, $"CREATE SCHEMA \"{alias}\"");
        foreach (var table in tables)
        {
            using var select = lite.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var r = select.ExecuteReader();
            var cols = new List<(string Name, bool Numeric)>();
            for (var i = 0; i < r.FieldCount; i++)
            {
                var declared = r.GetDataTypeName(i).ToUpperInvariant();
                var isNum = declared.Contains("INT", StringComparison.Ordinal) || declared.Contains("REAL", StringComparison.Ordinal)
                    || declared.Contains("FLOA", StringComparison.Ordinal) || declared.Contains("DOUB", StringComparison.Ordinal)
                    || declared.Contains("NUM", StringComparison.Ordinal);
                cols.Add((r.GetName(i), isNum));
            }

            var ddl = string.Join(", ", cols.Select(c => $"\"{c.Name}\" {(c.Numeric ? "DOUBLE" : "VARCHAR")}"));
            Exec(duck, $"CREATE TABLE \"{alias}\".\"{table}\" ({ddl})");
            using var appender = duck.CreateAppender(alias, table);
            while (r.Read())
            {
                var row = appender.CreateRow();
                for (var i = 0; i < cols.Count; i++)
                {
                    if (r.IsDBNull(i))
                    {
                        row.AppendNullValue();
                    }
                    else if (cols[i].Numeric)
                    {
                        row.AppendValue(Convert.ToDouble(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        row.AppendValue(Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                row.EndRow();
            }
        }
    }

    private static void Exec(DuckDBConnection duck, string sql)
    {
        using var cmd = duck.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
