using DuckDB.NET.Data;
using EdgeGateway.ModelLab.Data;
using Microsoft.Data.Sqlite;

namespace EdgeGateway.ModelLab.Tests;

public class DatasetTests
{
    private static Dataset Load(string path, ColumnRoles roles, int window = 2) =>
        Dataset.Create(CsvTableReader.Read(path), roles, window);

    private static readonly ColumnRoles s_roles = new(["a", "b"], "t", "label", null);

    [Fact]
    public void Create_ValidCsv_ConvertsColumns()
    {
        using var dir = new TempDir();
        var p = dir.File("ok.csv", "t,a,b,label\n0,1,2,0\n1,2,3,1\n2,3,5,0\n");
        var ds = Load(p, s_roles);
        Assert.Equal(3, ds.RowCount);
        Assert.Equal([2.0, 3.0, 5.0], ds.Channels[1]);
        Assert.Equal([0, 1, 0], ds.Labels!);
    }

    [Fact]
    public void Create_MissingColumn_NamesFileAndColumn()
    {
        using var dir = new TempDir();
        var p = dir.File("nocol.csv", "t,a,label\n0,1,0\n1,2,0\n");
        var ex = Assert.Throws<LabException>(() => Load(p, s_roles));
        Assert.Contains("nocol.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NonNumericCell_NamesLineAndColumn()
    {
        using var dir = new TempDir();
        var p = dir.File("text.csv", "t,a,b,label\n0,1,2,0\n1,x7,3,0\n");
        var ex = Assert.Throws<LabException>(() => Load(p, s_roles));
        Assert.Contains("text.csv: line 3, column 'a': 'x7' is not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ConstantChannel_NamesChannel()
    {
        using var dir = new TempDir();
        var p = dir.File("const.csv", "t,a,b,label\n0,1,2,0\n1,1,3,0\n2,1,4,0\n");
        var ex = Assert.Throws<LabException>(() => Load(p, s_roles));
        Assert.Contains("channel 'a' is constant", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN", "missing or NaN")]
    [InlineData("", "missing or NaN")]
    [InlineData("Infinity", "infinite")]
    public void Create_NonFiniteValue_NamesRow(string cell, string what)
    {
        using var dir = new TempDir();
        var p = dir.File("nan.csv", $"t,a,b,label\n0,1,2,0\n1,2,{cell},0\n2,3,4,0\n");
        var ex = Assert.Throws<LabException>(() => Load(p, s_roles));
        Assert.Contains("line 3, column 'b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TooFewRowsForWindow_NamesGroup()
    {
        using var dir = new TempDir();
        var p = dir.File("short.csv", "t,a,b,label,flight\n0,1,2,0,F1\n1,2,3,0,F1\n2,3,4,0,F1\n0,1,2,0,F2\n");
        var ex = Assert.Throws<LabException>(() => Load(p, s_roles with { Group = "flight" }, window: 3));
        Assert.Contains("group 'F2'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fewer than the 3 a window needs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LabelNotBinary_NamesRowAndValue()
    {
        using var dir = new TempDir();
        var p = dir.File("label.csv", "t,a,b,label\n0,1,2,0\n1,2,3,2\n");
        var ex = Assert.Throws<LabException>(() => Load(p, s_roles));
        Assert.Contains("line 3, column 'label': label value 2 is not 0 or 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RaggedLine_NamesLine()
    {
        using var dir = new TempDir();
        var p = dir.File("ragged.csv", "t,a,b\n0,1,2\n1,2\n");
        var ex = Assert.Throws<LabException>(() => CsvTableReader.Read(p));
        Assert.Contains("ragged.csv: line 3 has 2 cells", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptyQueryResult_NamesQueryFile()
    {
        using var dir = new TempDir();
        var csv = dir.File("s.csv", "t,a\n0,1\n1,2\n");
        var q = dir.File("empty.sql", "-- @param data csv\nSELECT * FROM read_csv('{{data}}') WHERE a > 100 ORDER BY t;\n");
        var ex = Assert.Throws<LabException>(() => SqlTableReader.Run(SqlQueryFile.Load(q), new Dictionary<string, string> { ["data"] = csv }));
        Assert.Contains("empty.sql: the query returned no rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingParameter_NamesParameter()
    {
        using var dir = new TempDir();
        var q = dir.File("p.sql", "SELECT * FROM read_csv('{{data}}');\n");
        var ex = Assert.Throws<LabException>(() => SqlTableReader.Run(SqlQueryFile.Load(q), new Dictionary<string, string>()));
        Assert.Contains("parameter 'data' has no value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_JoinCsvParquetSqlite_ReturnsJoinedRowsWithRoles()
    {
        using var dir = new TempDir();
        var csv = dir.File("sensors.csv", "engine_serial,t,egt,n1\nESN1,0,600,80\nESN1,1,610,81\nESN2,0,620,82\nESN2,1,630,83\n");
        var parquet = dir.Combine("flights.parquet");
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var cmd = duck.CreateCommand();
            cmd.CommandText = $"COPY (SELECT * FROM (VALUES ('ESN1', 'F100'), ('ESN2', 'F200')) v(engine_serial, flight)) TO '{parquet}' (FORMAT parquet)";
            cmd.ExecuteNonQuery();
        }

        var sqlite = dir.Combine("fleet.sqlite");
        using (var lite = new SqliteConnection($"Data Source={sqlite};Pooling=False"))
        {
            lite.Open();
            using var cmd = lite.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE engines (engine_serial TEXT, engine_type TEXT, position INTEGER, operator TEXT);
                INSERT INTO engines VALUES ('ESN1', 'CFM56-5B', 1, 'OPA'), ('ESN2', 'CFM56-5B', 2, 'OPB');
                """;
            cmd.ExecuteNonQuery();
        }

        var q = dir.File("join.sql", """
            -- @param sensors sensor CSV
            -- @param flights flights Parquet
            -- @sqlite fleet {{fleet}}
            -- @time t
            -- @group engine_serial
            -- @channels egt,n1
            SELECT s.engine_serial, s.t, s.egt, s.n1, f.flight, e.engine_type, e.position, e.operator
            FROM read_csv('{{sensors}}') s
            JOIN read_parquet('{{flights}}') f USING (engine_serial)
            JOIN fleet.engines e USING (engine_serial)
            ORDER BY s.engine_serial, s.t;
            """);
        var source = new DataSource(null, ',', q, new Dictionary<string, string> { ["sensors"] = csv, ["flights"] = parquet, ["fleet"] = sqlite }, null, [], null, null);
        var (table, roles) = source.Load();
        Assert.Equal(4, table.RowCount);
        Assert.Equal(["egt", "n1"], roles.Channels);
        Assert.Equal("engine_serial", roles.Group);
        Assert.Equal(["OPA", "OPA", "OPB", "OPB"], table.Texts("operator"));
        Assert.Equal([1.0, 1.0, 2.0, 2.0], table.Numbers("position"));
        Assert.Equal(["F100", "F100", "F200", "F200"], table.Texts("flight"));
        var ds = Dataset.Create(table, roles, 2);
        Assert.Equal(2, ds.GroupRuns().Count());
    }

    [Fact]
    public void ContentHash_SameValuesFromCsvAndSql_Equal()
    {
        using var dir = new TempDir();
        var csv = dir.File("h.csv", "t,a,b\n0,1.5,2\n1,2.5,3\n");
        var q = dir.File("h.sql", "SELECT t, a, b FROM read_csv('{{d}}') ORDER BY t;\n");
        var roles = new ColumnRoles(["a", "b"], "t", null, null);
        var fromCsv = Dataset.Create(CsvTableReader.Read(csv), roles, 1).ContentHash();
        var fromSql = Dataset.Create(SqlTableReader.Run(SqlQueryFile.Load(q), new Dictionary<string, string> { ["d"] = csv }), roles, 1).ContentHash();
        Assert.Equal(fromCsv, fromSql);
    }
}
