using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Uplink;

/// <summary>
/// Durable outbox on SQLite in WAL mode with <c>synchronous=FULL</c>: a message is on disk when
/// <see cref="EnqueueAsync"/> returns. One writer loop owns the write connection and commits every request
/// waiting at that moment in one transaction (group commit), so a burst costs one sync, not one per message.
/// Reads for publishing page through the table with a separate connection and never load the backlog into memory.
/// </summary>
/// <remarks>
/// Disk budget (<see cref="OutboxOptions.MaxOutboxBytes"/>): when a new message does not fit, the oldest stored
/// telemetry is dropped first, then (only for an incoming summary or alert) the oldest summaries, then (only for an
/// incoming alert) the oldest alerts. When that cannot free enough room the new message is refused. Alerts are
/// therefore never dropped to make room for summaries or telemetry. Every drop is counted per class in the
/// database and reported in the next status message.
/// A database that SQLite reports as corrupt (or that fails <c>PRAGMA quick_check</c>, run at open after a shutdown
/// that was not clean) is renamed to
/// <c>&lt;file&gt;.corrupt-&lt;utc timestamp&gt;</c>, never deleted; the new database records the renamed path.
/// Thread safety: every public member may be called concurrently.
/// </remarks>
public sealed class Outbox : IAsyncDisposable, IDisposable
{
    /// <summary>Bytes added to each message's size for the budget, approximating SQLite row and index overhead.</summary>
    public const int RowOverheadBytes = 64;

    /// <summary>Wall-clock readings before this are treated as a box that booted without a real-time clock: no expiry runs.</summary>
    public static readonly DateTimeOffset MinimumPlausibleUtc = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly OutboxOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteConnection _readConnection;
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly Channel<WriteRequest> _requests = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _writerLoop;
    private readonly Lock _statsLock = new();
    private readonly List<string> _corruptFiles;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _deleteBySeq;
    private readonly SqliteCommand _selectOldest;
    private readonly SqliteCommand _deleteUpTo;
    private readonly SqliteCommand _upsertCounter;
    private Counters _committed;
    private long _commitCount;
    private bool _depthPersisted;
    private int _disposed;

    private Outbox(OutboxOptions options, TimeProvider timeProvider, ILogger logger, SqliteConnection write, SqliteConnection read, Counters counters, List<string> corruptFiles)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _writeConnection = write;
        _readConnection = read;
        _committed = counters;
        _corruptFiles = corruptFiles;
        _insert = Prepare(write, "INSERT INTO outbox(class, message_id, created_utc, tail, engines, body, size) VALUES ($class, $id, $created, $tail, $engines, $body, $size) RETURNING seq",
            "$class", "$id", "$created", "$tail", "$engines", "$body", "$size");
        _deleteBySeq = Prepare(write, "DELETE FROM outbox WHERE seq = $seq RETURNING class, size", "$seq");
        _selectOldest = Prepare(write, "SELECT seq, size FROM outbox WHERE class = $class AND seq > $after ORDER BY seq LIMIT 256", "$class", "$after");
        _deleteUpTo = Prepare(write, "DELETE FROM outbox WHERE class = $class AND seq <= $seq", "$class", "$seq");
        _upsertCounter = Prepare(write, "INSERT INTO counters(name, value) VALUES ($name, $value) ON CONFLICT(name) DO UPDATE SET value = excluded.value", "$name", "$value");
        _writerLoop = Task.Run(WriterLoopAsync);
    }

    /// <summary>The database file.</summary>
    public string DatabasePath => _options.DatabasePath;

    /// <summary>Time-to-live of <paramref name="messageClass"/> (<c>null</c>: never expires).</summary>
    public TimeSpan? TimeToLive(MessageClass messageClass) => _options.TimeToLive(messageClass);

    /// <summary>
    /// Opens (or creates) the outbox. Depth and bytes are read from counters kept in step with every commit, so after a
    /// clean shutdown the cost does not depend on the backlog size; after an unclean one a full integrity check runs. A corrupt file is moved aside and reported (see remarks on <see cref="Outbox"/>).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static Outbox Open(OutboxOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        UplinkOptionsValidator.ThrowIfInvalid(options);
        timeProvider ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        var started = Stopwatch.GetTimestamp();
        var path = Path.GetFullPath(options.DatabasePath);
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string? movedTo = null;
        SqliteConnection write;
        bool integrityChecked;
        try
        {
            write = OpenChecked(path, out integrityChecked);
        }
        catch (CorruptDatabaseException ex)
        {
            movedTo = MoveAside(path, timeProvider.GetUtcNow());
            Log.OutboxCorruptMovedAside(logger, path, ex.Message, movedTo);
            write = OpenChecked(path, out integrityChecked);
        }

        if (movedTo is not null)
        {
            using var cmd = write.CreateCommand();
            cmd.CommandText = "INSERT INTO corrupt_files(path, moved_utc) VALUES ($p, $t)";
            cmd.Parameters.AddWithValue("$p", movedTo);
            cmd.Parameters.AddWithValue("$t", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            cmd.ExecuteNonQuery();
        }

        var counters = LoadCounters(write);
        var corrupt = new List<string>();
        using (var cmd = write.CreateCommand())
        {
            cmd.CommandText = "SELECT path FROM corrupt_files ORDER BY moved_utc";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                corrupt.Add(reader.GetString(0));
            }
        }

        var read = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWrite));
        read.Open();
        Exec(read, "PRAGMA query_only=ON");
        var outbox = new Outbox(options, timeProvider, logger, write, read, counters, corrupt) { IntegrityChecked = integrityChecked };
        Log.OutboxOpened(logger, path, counters.Depth.Sum(), counters.Bytes, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return outbox;
    }

    /// <summary>
    /// Stores <paramref name="message"/> durably and returns once the transaction holding it has been synced to disk.
    /// Concurrent callers share one commit. The message id is assigned here and never changes.
    /// </summary>
    /// <exception cref="ArgumentException">The body is not exactly one JSON value, or the tail is empty.</exception>
    /// <exception cref="ObjectDisposedException">The outbox is closed.</exception>
    public Task<EnqueueResult> EnqueueAsync(UplinkMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.Tail))
        {
            throw new ArgumentException("The tail (aircraft registration) must not be empty.", nameof(message));
        }

        if (!IsSingleJsonValue(message.Body.Span))
        {
            throw new ArgumentException("The body must be exactly one UTF-8 JSON value.", nameof(message));
        }

        if ((uint)message.Class >= MessageClasses.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(message), message.Class, "Unknown message class.");
        }

        var now = _timeProvider.GetUtcNow();
        var request = new WriteRequest(WriteKind.Enqueue)
        {
            Message = message,
            MessageId = Guid.CreateVersion7(now),
            CreatedUtc = now,
            EnginesJson = JsonSerializer.Serialize(message.EngineSerials, UplinkJsonContext.Default.IReadOnlyListString),
        };
        Submit(request);
        return request.EnqueueCompletion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> of the oldest messages, alerts first, then summaries, then telemetry,
    /// each class in sequence order. Does not remove them: call <see cref="AcknowledgeAsync"/> after PUBACK.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEntry>> ReadNextAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _readLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = new List<OutboxEntry>(Math.Min(maxCount, 1024));
            using var tx = _readConnection.BeginTransaction(deferred: true);
            using var cmd = _readConnection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT seq, message_id, created_utc, tail, engines, body FROM outbox WHERE class = $class ORDER BY seq LIMIT $limit";
            var pClass = cmd.Parameters.Add("$class", SqliteType.Integer);
            var pLimit = cmd.Parameters.Add("$limit", SqliteType.Integer);
            foreach (var c in MessageClasses.All)
            {
                if (result.Count >= maxCount)
                {
                    break;
                }

                pClass.Value = (int)c;
                pLimit.Value = maxCount - result.Count;
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    result.Add(new OutboxEntry(
                        reader.GetInt64(0),
                        c,
                        new Guid((byte[])reader.GetValue(1)),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                        reader.GetString(3),
                        reader.GetString(4),
                        (byte[])reader.GetValue(5)));
                }
            }

            tx.Commit();
            return result;
        }
        finally
        {
            _readLock.Release();
        }
    }

    /// <summary>Removes published messages (after the broker's PUBACK). Unknown sequence numbers are ignored.</summary>
    public Task AcknowledgeAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return Task.CompletedTask;
        }

        var request = new WriteRequest(WriteKind.Acknowledge) { Sequences = [.. sequences] };
        Submit(request);
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes messages older than their class's time-to-live and returns how many. Skipped (returns 0) while the
    /// wall clock reads earlier than <see cref="MinimumPlausibleUtc"/>. Messages stamped in the future are kept.
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken = default)
    {
        var request = new WriteRequest(WriteKind.Expire);
        Submit(request);
        return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes when a write batch committed since the last call (coalesced; may complete spuriously). Meant for a
    /// single consumer, the supervisor: two waiters would share one signal.
    /// </summary>
    public async Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        await _changed.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when this open ran <c>PRAGMA quick_check</c> over the whole file: on first use and after a shutdown that
    /// was not clean (power cut, kill -9). After a clean <see cref="DisposeAsync"/> the check is skipped.
    /// </summary>
    public bool IntegrityChecked { get; private init; }

    /// <summary>Transactions committed since open; with group commit, far fewer than the messages stored.</summary>
    public long CommitCount => Interlocked.Read(ref _commitCount);

    /// <summary>Current depth, bytes, cumulative drops and expiries, corrupt files moved aside.</summary>
    public OutboxStatistics GetStatistics()
    {
        Counters c;
        lock (_statsLock)
        {
            c = _committed;
        }

        return new OutboxStatistics([.. c.Depth], c.Bytes, _options.MaxOutboxBytes, [.. c.Dropped], [.. c.Expired], c.MaxSequence, [.. _corruptFiles]);
    }

    /// <summary>Finishes the pending writes and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _requests.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        try
        {
            Exec(_writeConnection, "UPDATE counters SET value = 1 WHERE name = 'clean_shutdown'");
        }
        catch (SqliteException ex)
        {
            // The next open then runs the full integrity check, which is the safe side.
            Log.OutboxWriteFailed(_logger, 1, ex);
        }

        await _readLock.WaitAsync().ConfigureAwait(false);
        _insert.Dispose();
        _deleteBySeq.Dispose();
        _selectOldest.Dispose();
        _deleteUpTo.Dispose();
        _upsertCounter.Dispose();
        _readConnection.Dispose();
        _writeConnection.Dispose();
        _readLock.Dispose();
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal static bool IsSingleJsonValue(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Submit(WriteRequest request)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 || !_requests.Writer.TryWrite(request), this);
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<WriteRequest>(_options.MaxWriteBatch);
        while (await _requests.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxWriteBatch && _requests.Reader.TryRead(out var r))
            {
                batch.Add(r);
            }

            Counters next;
            lock (_statsLock)
            {
                next = _committed.Clone();
            }

            var notices = new List<Action>();
            try
            {
                using (var tx = _writeConnection.BeginTransaction())
                {
                    foreach (var request in batch)
                    {
                        Apply(request, tx, next, notices);
                    }

                    WriteCounters(tx, next);
                    tx.Commit();
                }

                Interlocked.Increment(ref _commitCount);
                _depthPersisted = true;

                lock (_statsLock)
                {
                    _committed = next;
                }
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
            {
                Log.OutboxWriteFailed(_logger, batch.Count, ex);
                foreach (var request in batch)
                {
                    request.Fail(ex);
                }

                continue;
            }

            foreach (var notice in notices)
            {
                notice();
            }

            foreach (var request in batch)
            {
                request.Succeed();
            }

            _changed.Writer.TryWrite(true);
        }
    }

    private void Apply(WriteRequest request, SqliteTransaction tx, Counters next, List<Action> notices)
    {
        switch (request.Kind)
        {
            case WriteKind.Enqueue:
                Insert(request, tx, next, notices);
                break;
            case WriteKind.Acknowledge:
                _deleteBySeq.Transaction = tx;
                foreach (var seq in request.Sequences!)
                {
                    _deleteBySeq.Parameters[0].Value = seq;
                    using var reader = _deleteBySeq.ExecuteReader();
                    while (reader.Read())
                    {
                        var c = reader.GetInt32(0);
                        next.Depth[c]--;
                        next.Bytes -= reader.GetInt64(1);
                    }
                }

                break;
            case WriteKind.Expire:
                request.Count = Expire(tx, next, notices);
                break;
            default:
                throw new UnreachableException();
        }
    }

    private void Insert(WriteRequest request, SqliteTransaction tx, Counters next, List<Action> notices)
    {
        var message = request.Message!;
        var cls = message.Class;
        long size = message.Body.Length + System.Text.Encoding.UTF8.GetByteCount(message.Tail) + System.Text.Encoding.UTF8.GetByteCount(request.EnginesJson!) + RowOverheadBytes;
        var max = _options.MaxOutboxBytes;
        var need = next.Bytes + size - max;
        if (need > 0 && size <= max)
        {
            // Drop order: telemetry, then summaries, then alerts, but never a class above the incoming one.
            for (var victim = MessageClass.Telemetry; victim >= cls && need > 0; victim--)
            {
                var (count, freed) = DropOldest(tx, victim, need);
                if (count > 0)
                {
                    next.Depth[(int)victim] -= count;
                    next.Dropped[(int)victim] += count;
                    next.Bytes -= freed;
                    need -= freed;
                    var name = victim.ToWireName();
                    notices.Add(() => Log.OutboxDropped(_logger, max, count, name));
                }
            }
        }

        if (need > 0)
        {
            next.Dropped[(int)cls]++;
            var name = cls.ToWireName();
            notices.Add(() => Log.OutboxRejected(_logger, max, name, size));
            request.Result = new EnqueueResult(EnqueueOutcome.RejectedOverBudget, request.MessageId, 0);
            return;
        }

        _insert.Transaction = tx;
        var p = _insert.Parameters;
        p[0].Value = (int)cls;
        p[1].Value = request.MessageId.ToByteArray();
        p[2].Value = request.CreatedUtc.ToUnixTimeMilliseconds();
        p[3].Value = message.Tail;
        p[4].Value = request.EnginesJson;
        p[5].Value = message.Body.ToArray();
        p[6].Value = size;
        var seq = (long)_insert.ExecuteScalar()!;
        next.Depth[(int)cls]++;
        next.Bytes += size;
        next.MaxSequence = Math.Max(next.MaxSequence, seq);
        request.Result = new EnqueueResult(EnqueueOutcome.Stored, request.MessageId, seq);
    }

    private (int Count, long Freed) DropOldest(SqliteTransaction tx, MessageClass victim, long need)
    {
        var count = 0;
        long freed = 0;
        long last = 0;
        _selectOldest.Transaction = tx;
        _selectOldest.Parameters[0].Value = (int)victim;
        while (freed < need)
        {
            _selectOldest.Parameters[1].Value = last;
            var any = false;
            using (var reader = _selectOldest.ExecuteReader())
            {
                while (freed < need && reader.Read())
                {
                    any = true;
                    last = reader.GetInt64(0);
                    freed += reader.GetInt64(1);
                    count++;
                }
            }

            if (!any)
            {
                break;
            }
        }

        if (count > 0)
        {
            _deleteUpTo.Transaction = tx;
            _deleteUpTo.Parameters[0].Value = (int)victim;
            _deleteUpTo.Parameters[1].Value = last;
            _deleteUpTo.ExecuteNonQuery();
        }

        return (count, freed);
    }

    private int Expire(SqliteTransaction tx, Counters next, List<Action> notices)
    {
        var now = _timeProvider.GetUtcNow();
        if (now < MinimumPlausibleUtc)
        {
            notices.Add(() => Log.OutboxClockImplausible(_logger, now, MinimumPlausibleUtc));
            return 0;
        }

        var total = 0;
        foreach (var c in MessageClasses.All)
        {
            if (_options.TimeToLive(c) is not { } ttl)
            {
                continue;
            }

            using var cmd = _writeConnection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM outbox WHERE class = $class AND created_utc < $cutoff RETURNING size";
            cmd.Parameters.AddWithValue("$class", (int)c);
            cmd.Parameters.AddWithValue("$cutoff", (now - ttl).ToUnixTimeMilliseconds());
            var count = 0;
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    count++;
                    next.Bytes -= reader.GetInt64(0);
                }
            }

            if (count > 0)
            {
                next.Depth[(int)c] -= count;
                next.Expired[(int)c] += count;
                total += count;
                var name = c.ToWireName();
                notices.Add(() => Log.OutboxExpired(_logger, count, name));
            }
        }

        return total;
    }

    private void WriteCounters(SqliteTransaction tx, Counters next)
    {
        Counters committed;
        lock (_statsLock)
        {
            committed = _committed;
        }

        _upsertCounter.Transaction = tx;
        for (var c = 0; c < MessageClasses.Count; c++)
        {
            var name = ((MessageClass)c).ToWireName();
            if (next.Dropped[c] != committed.Dropped[c])
            {
                _upsertCounter.Parameters[0].Value = "dropped." + name;
                _upsertCounter.Parameters[1].Value = next.Dropped[c];
                _upsertCounter.ExecuteNonQuery();
            }

            if (next.Expired[c] != committed.Expired[c])
            {
                _upsertCounter.Parameters[0].Value = "expired." + name;
                _upsertCounter.Parameters[1].Value = next.Expired[c];
                _upsertCounter.ExecuteNonQuery();
            }

            if (next.Depth[c] != committed.Depth[c] || !_depthPersisted)
            {
                _upsertCounter.Parameters[0].Value = "depth." + name;
                _upsertCounter.Parameters[1].Value = next.Depth[c];
                _upsertCounter.ExecuteNonQuery();
            }
        }

        if (next.Bytes != committed.Bytes || !_depthPersisted)
        {
            _upsertCounter.Parameters[0].Value = "bytes";
            _upsertCounter.Parameters[1].Value = next.Bytes;
            _upsertCounter.ExecuteNonQuery();
        }
    }

    private static SqliteConnection OpenChecked(string path, out bool integrityChecked)
    {
        integrityChecked = false;
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            var mode = Scalar(connection, "PRAGMA journal_mode=WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Outbox database {path} could not be switched to WAL mode (journal_mode is '{mode}').");
            }

            // FULL: in WAL mode every commit syncs the WAL, so a returned EnqueueAsync survives a power cut.
            Exec(connection, "PRAGMA synchronous=FULL");
            Exec(connection, "PRAGMA journal_size_limit=67108864");
            Exec(connection, """
                BEGIN;
                CREATE TABLE IF NOT EXISTS outbox(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    class INTEGER NOT NULL,
                    message_id BLOB NOT NULL,
                    created_utc INTEGER NOT NULL,
                    tail TEXT NOT NULL,
                    engines TEXT NOT NULL,
                    body BLOB NOT NULL,
                    size INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_outbox_class_seq ON outbox(class, seq);
                CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS corrupt_files(path TEXT NOT NULL, moved_utc INTEGER NOT NULL);
                COMMIT;
                """);

            // The full check reads every page, so it runs only when the last shutdown was not clean (power cut,
            // kill -9, first open): that is when a torn write is possible, and a clean start stays independent of
            // the backlog size. Corruption found later by SQLite itself surfaces as SQLITE_CORRUPT on that read.
            integrityChecked = Scalar(connection, "SELECT value FROM counters WHERE name = 'clean_shutdown'") != "1";
            if (integrityChecked)
            {
                var check = Scalar(connection, "PRAGMA quick_check");
                if (!string.Equals(check, "ok", StringComparison.Ordinal))
                {
                    throw new CorruptDatabaseException($"quick_check: {check}");
                }
            }

            Exec(connection, "INSERT INTO counters(name, value) VALUES ('clean_shutdown', 0) ON CONFLICT(name) DO UPDATE SET value = 0");
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            connection.Dispose();
            throw new CorruptDatabaseException(ex.Message, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static Counters LoadCounters(SqliteConnection connection)
    {
        var counters = new Counters();
        var haveDepth = false;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, value FROM counters";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var value = reader.GetInt64(1);
                for (var c = 0; c < MessageClasses.Count; c++)
                {
                    var wire = ((MessageClass)c).ToWireName();
                    if (name == "dropped." + wire)
                    {
                        counters.Dropped[c] = value;
                    }
                    else if (name == "expired." + wire)
                    {
                        counters.Expired[c] = value;
                    }
                    else if (name == "depth." + wire)
                    {
                        counters.Depth[c] = value;
                    }
                }

                if (name == "bytes")
                {
                    counters.Bytes = value;
                    haveDepth = true;
                }
            }
        }

        if (!haveDepth)
        {
            // Depth and bytes are kept in the counters table in the same transaction as every change, so this scan
            // runs only for a database that never committed a write batch.
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT class, COUNT(*), COALESCE(SUM(size), 0) FROM outbox GROUP BY class";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var c = reader.GetInt32(0);
                if ((uint)c < MessageClasses.Count)
                {
                    counters.Depth[c] = reader.GetInt64(1);
                }

                counters.Bytes += reader.GetInt64(2);
            }
        }

        var seq = Scalar(connection, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)");
        counters.MaxSequence = long.Parse(seq ?? "0", CultureInfo.InvariantCulture);
        return counters;
    }

    private static string MoveAside(string path, DateTimeOffset now)
    {
        var suffix = ".corrupt-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = path + suffix;
        for (var i = 1; File.Exists(target); i++)
        {
            target = path + suffix + "-" + i.ToString(CultureInfo.InvariantCulture);
        }

        File.Move(path, target);
        foreach (var side in new[] { "-wal", "-shm" })
        {
            if (File.Exists(path + side))
            {
                File.Move(path + side, target + side);
            }
        }

        return target;
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter(p, null));
        }

        return cmd;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private enum WriteKind
    {
        Enqueue,
        Acknowledge,
        Expire,
    }

    private sealed class WriteRequest(WriteKind kind)
    {
        public WriteKind Kind { get; } = kind;

        public UplinkMessage? Message { get; init; }

        public Guid MessageId { get; init; }

        public DateTimeOffset CreatedUtc { get; init; }

        public string? EnginesJson { get; init; }

        public long[]? Sequences { get; init; }

        public EnqueueResult Result { get; set; }

        public int Count { get; set; }

        // Only the completion matching the kind is created: one allocation per request on the enqueue path.
        public TaskCompletionSource<EnqueueResult> EnqueueCompletion { get; } = kind == WriteKind.Enqueue ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null!;

        public TaskCompletionSource<int> Completion { get; } = kind == WriteKind.Enqueue ? null! : new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Succeed()
        {
            if (Kind == WriteKind.Enqueue)
            {
                EnqueueCompletion.TrySetResult(Result);
            }
            else
            {
                Completion.TrySetResult(Count);
            }
        }

        public void Fail(Exception ex)
        {
            if (Kind == WriteKind.Enqueue)
            {
                EnqueueCompletion.TrySetException(ex);
            }
            else
            {
                Completion.TrySetException(ex);
            }
        }
    }

    private sealed class Counters
    {
        public long[] Depth { get; private init; } = new long[MessageClasses.Count];

        public long[] Dropped { get; private init; } = new long[MessageClasses.Count];

        public long[] Expired { get; private init; } = new long[MessageClasses.Count];

        public long Bytes { get; set; }

        public long MaxSequence { get; set; }

        public Counters Clone() => new()
        {
            Depth = [.. Depth],
            Dropped = [.. Dropped],
            Expired = [.. Expired],
            Bytes = Bytes,
            MaxSequence = MaxSequence,
        };
    }

    private sealed class CorruptDatabaseException : Exception
    {
        public CorruptDatabaseException(string message)
            : base(message)
        {
        }

        public CorruptDatabaseException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
