using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeGateway.Inference.Rul;

/// <summary>One landing's trend snapshot of one engine: stable-cruise averages by bus parameter.</summary>
/// <param name="Serial">Engine serial number (the history key: engines move between aircraft).</param>
/// <param name="Tail">Aircraft it flew on.</param>
/// <param name="Position">Engine position on that aircraft.</param>
/// <param name="FlightId">Flight identifier.</param>
/// <param name="FlightStartUtc">Recording start of the flight.</param>
/// <param name="WindowStartUtc">Start of the averaged stable window.</param>
/// <param name="Values">Averages by bus parameter name.</param>
public sealed record EngineSnapshot(string Serial, string Tail, int Position, string FlightId, DateTimeOffset FlightStartUtc, DateTimeOffset WindowStartUtc, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// The local engine history: one snapshot row per engine per landing in SQLite, keyed by engine
/// serial number. A landing is recorded once (serial, flight and start are unique), so replaying
/// a capture twice does not add a cycle. Rows come back in flight order (start time, then insertion).
/// </summary>
public sealed class EngineHistory : IDisposable
{
    private readonly SqliteConnection _connection;

    /// <summary>Opens (creating when needed) the history database at <paramref name="path"/>.</summary>
    public EngineHistory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        _connection.Open();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS snapshot (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                serial TEXT NOT NULL,
                tail TEXT NOT NULL,
                position INTEGER NOT NULL,
                flight_id TEXT NOT NULL,
                flight_start_utc TEXT NOT NULL,
                window_start_utc TEXT NOT NULL,
                UNIQUE (serial, flight_id, flight_start_utc));
            CREATE TABLE IF NOT EXISTS snapshot_value (
                snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
                name TEXT NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (snapshot_id, name));
            CREATE INDEX IF NOT EXISTS snapshot_serial ON snapshot (serial, flight_start_utc, id);
            """;
        cmd.ExecuteNonQuery();
        Path = path;
    }

    /// <summary>Database file.</summary>
    public string Path { get; }

    /// <summary>Adds a snapshot; false when this landing of this engine is already recorded.</summary>
    public bool Add(EngineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var tx = _connection.BeginTransaction();
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT OR IGNORE INTO snapshot (serial, tail, position, flight_id, flight_start_utc, window_start_utc)
            VALUES ($serial, $tail, $position, $flight, $start, $window);
            SELECT changes(), last_insert_rowid();
            """;
        cmd.Parameters.AddWithValue("$serial", snapshot.Serial);
        cmd.Parameters.AddWithValue("$tail", snapshot.Tail);
        cmd.Parameters.AddWithValue("$position", snapshot.Position);
        cmd.Parameters.AddWithValue("$flight", snapshot.FlightId);
        cmd.Parameters.AddWithValue("$start", Stamp(snapshot.FlightStartUtc));
        cmd.Parameters.AddWithValue("$window", Stamp(snapshot.WindowStartUtc));
        long changes, id;
        using (var reader = cmd.ExecuteReader())
        {
            reader.Read();
            changes = reader.GetInt64(0);
            id = reader.GetInt64(1);
        }

        if (changes == 0)
        {
            return false;
        }

        using var value = _connection.CreateCommand();
        value.Transaction = tx;
        value.CommandText = "INSERT INTO snapshot_value (snapshot_id, name, value) VALUES ($id, $name, $value)";
        var pId = value.Parameters.Add("$id", SqliteType.Integer);
        var pName = value.Parameters.Add("$name", SqliteType.Text);
        var pValue = value.Parameters.Add("$value", SqliteType.Real);
        foreach (var (name, v) in snapshot.Values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            pId.Value = id;
            pName.Value = name;
            pValue.Value = v;
            value.ExecuteNonQuery();
        }

        tx.Commit();
        return true;
    }

    /// <summary>Snapshots recorded for an engine.</summary>
    public int Count(string serial)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM snapshot WHERE serial = $serial";
        cmd.Parameters.AddWithValue("$serial", serial);
        return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The last <paramref name="count"/> snapshots of an engine, oldest first.</summary>
    public IReadOnlyList<EngineSnapshot> Last(string serial, int count)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT id, serial, tail, position, flight_id, flight_start_utc, window_start_utc FROM (
                SELECT * FROM snapshot WHERE serial = $serial ORDER BY flight_start_utc DESC, id DESC LIMIT $count)
            ORDER BY flight_start_utc, id
            """;
        cmd.Parameters.AddWithValue("$serial", serial);
        cmd.Parameters.AddWithValue("$count", count);
        var rows = new List<(long Id, EngineSnapshot Snapshot)>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), new EngineSnapshot(reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), Parse(reader.GetString(5)), Parse(reader.GetString(6)), new Dictionary<string, double>())));
            }
        }

        using var values = _connection.CreateCommand();
        values.CommandText = "SELECT name, value FROM snapshot_value WHERE snapshot_id = $id";
        var p = values.Parameters.Add("$id", SqliteType.Integer);
        var result = new List<EngineSnapshot>(rows.Count);
        foreach (var (id, s) in rows)
        {
            p.Value = id;
            var dict = new Dictionary<string, double>(StringComparer.Ordinal);
            using var reader = values.ExecuteReader();
            while (reader.Read())
            {
                dict[reader.GetString(0)] = reader.GetDouble(1);
            }

            result.Add(s with { Values = dict });
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
