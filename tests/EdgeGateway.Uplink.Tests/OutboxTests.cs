using System.Text;
using EdgeGateway.Uplink.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests;

public sealed class OutboxTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new(output);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private OutboxOptions Options(long maxBytes = 256L * 1024 * 1024) => new() { DatabasePath = _dir.File("outbox.db"), MaxOutboxBytes = maxBytes };

    private static UplinkMessage Message(MessageClass cls, int n, int padding = 0) =>
        new(cls, "G-EZAB", ["ESN-1"], Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('x', padding)}\"}}"));

    [Fact]
    public async Task EnqueueAsync_ThenReopen_MessageSurvivesWithSameIdAndFields()
    {
        EnqueueResult stored;
        await using (var outbox = Outbox.Open(Options(), _time, _log))
        {
            stored = await outbox.EnqueueAsync(new UplinkMessage(MessageClass.Summary, "G-EZAB", ["ESN-1", "ESN-2"], "{\"x\":[1,2]}"u8.ToArray()));
        }

        await using var reopened = Outbox.Open(Options(), _time, _log);
        var entry = Assert.Single(await reopened.ReadNextAsync(10));
        Assert.Equal(EnqueueOutcome.Stored, stored.Outcome);
        Assert.Equal(stored.MessageId, entry.MessageId);
        Assert.Equal(stored.Sequence, entry.Sequence);
        Assert.Equal(MessageClass.Summary, entry.Class);
        Assert.Equal("G-EZAB", entry.Tail);
        Assert.Equal("[\"ESN-1\",\"ESN-2\"]", entry.EngineSerialsJson);
        Assert.Equal("{\"x\":[1,2]}", Encoding.UTF8.GetString(entry.Body));
        Assert.Equal(_time.GetUtcNow(), entry.CreatedUtc);
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ReadNextAsync_MixedClasses_AlertsThenSummariesThenTelemetryEachInOrder()
    {
        await using var outbox = Outbox.Open(Options(), _time, _log);
        var order = new[] { MessageClass.Telemetry, MessageClass.Summary, MessageClass.Alert, MessageClass.Telemetry, MessageClass.Alert, MessageClass.Summary };
        var ids = new List<(MessageClass Class, Guid Id)>();
        for (var i = 0; i < order.Length; i++)
        {
            ids.Add((order[i], (await outbox.EnqueueAsync(Message(order[i], i))).MessageId));
        }

        var read = await outbox.ReadNextAsync(100);
        var expected = ids.OrderBy(x => x.Class).Select(x => x.Id).ToList(); // OrderBy is stable: enqueue order within a class
        Assert.Equal(expected, read.Select(e => e.MessageId).ToList());

        var firstThree = await outbox.ReadNextAsync(3);
        Assert.Equal(expected.Take(3), firstThree.Select(e => e.MessageId));
    }

    [Fact]
    public async Task AcknowledgeAsync_SomeMessages_RemovesOnlyThoseAndUpdatesDepth()
    {
        await using var outbox = Outbox.Open(Options(), _time, _log);
        var a = await outbox.EnqueueAsync(Message(MessageClass.Alert, 1));
        var b = await outbox.EnqueueAsync(Message(MessageClass.Alert, 2));
        await outbox.AcknowledgeAsync([a.Sequence, 999_999]);

        var left = Assert.Single(await outbox.ReadNextAsync(10));
        Assert.Equal(b.MessageId, left.MessageId);
        var stats = outbox.GetStatistics();
        Assert.Equal(1, stats.Depth[(int)MessageClass.Alert]);
        Assert.Equal(1, stats.TotalDepth);
    }

    [Fact]
    public async Task EnqueueAsync_ConcurrentBurst_SharesCommits()
    {
        await using var outbox = Outbox.Open(Options(), _time, _log);
        var before = outbox.CommitCount;
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => outbox.EnqueueAsync(Message(MessageClass.Telemetry, i))));
        var commits = outbox.CommitCount - before;

        Assert.All(results, r => Assert.Equal(EnqueueOutcome.Stored, r.Outcome));
        Assert.Equal(500, results.Select(r => r.MessageId).Distinct().Count());
        Assert.True(commits < 100, $"500 concurrent enqueues took {commits} commits; group commit should batch them");
        Assert.Equal(500, outbox.GetStatistics().TotalDepth);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("not json")]
    public async Task EnqueueAsync_MalformedBody_Throws(string body)
    {
        await using var outbox = Outbox.Open(Options(), _time, _log);
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(new UplinkMessage(MessageClass.Alert, "G-EZAB", [], Encoding.UTF8.GetBytes(body))));
        Assert.Equal(0, outbox.GetStatistics().TotalDepth);
    }

    [Fact]
    public async Task EnqueueAsync_OverBudget_DropsOldestTelemetryThenSummariesButNeverAlerts()
    {
        const long Budget = 64 * 1024;
        await using var outbox = Outbox.Open(Options(Budget), _time, _log);
        var telemetry = new List<Guid>();
        var summaries = new List<Guid>();
        var alerts = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            telemetry.Add((await outbox.EnqueueAsync(Message(MessageClass.Telemetry, i, 900))).MessageId);
        }

        for (var i = 0; i < 30; i++)
        {
            summaries.Add((await outbox.EnqueueAsync(Message(MessageClass.Summary, i, 900))).MessageId);
        }

        Assert.Equal(0, outbox.GetStatistics().TotalDropped);

        // Alerts push out every telemetry message first, then the oldest summaries.
        for (var i = 0; i < 40; i++)
        {
            var r = await outbox.EnqueueAsync(Message(MessageClass.Alert, i, 900));
            Assert.Equal(EnqueueOutcome.Stored, r.Outcome);
            alerts.Add(r.MessageId);
        }

        var stats = outbox.GetStatistics();
        Assert.True(stats.Bytes <= Budget);
        Assert.Equal(20, stats.Dropped[(int)MessageClass.Telemetry]);
        Assert.Equal(0, stats.Dropped[(int)MessageClass.Alert]);
        var droppedSummaries = stats.Dropped[(int)MessageClass.Summary];
        Assert.InRange(droppedSummaries, 1, 29);
        var left = await outbox.ReadNextAsync(1000);
        Assert.Equal(alerts, left.Where(e => e.Class == MessageClass.Alert).Select(e => e.MessageId));
        Assert.Equal(summaries.Skip((int)droppedSummaries), left.Where(e => e.Class == MessageClass.Summary).Select(e => e.MessageId));
        Assert.DoesNotContain(left, e => e.Class == MessageClass.Telemetry);

        // New telemetry cannot displace summaries or alerts: refused and counted.
        var refused = await outbox.EnqueueAsync(Message(MessageClass.Telemetry, 99, 900));
        Assert.Equal(EnqueueOutcome.RejectedOverBudget, refused.Outcome);
        Assert.Equal(21, outbox.GetStatistics().Dropped[(int)MessageClass.Telemetry]);
        Assert.True(_log.Count(5002) > 0 && _log.Count(5003) == 1);
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task EnqueueAsync_SummaryWhenBudgetHoldsOnlyAlerts_RefusedAndAlertsKept()
    {
        await using var outbox = Outbox.Open(Options(64 * 1024), _time, _log);
        var alerts = new List<Guid>();
        EnqueueResult r;
        var n = 0;
        do
        {
            r = await outbox.EnqueueAsync(Message(MessageClass.Alert, n++, 900));
            alerts.Add(r.MessageId);
        }
        while (outbox.GetStatistics().Dropped[(int)MessageClass.Alert] == 0 && n < 200);

        // The budget is now full of alerts, and the newest alert displaced the oldest one.
        Assert.Equal(1, outbox.GetStatistics().Dropped[(int)MessageClass.Alert]);
        var summary = await outbox.EnqueueAsync(Message(MessageClass.Summary, 0, 900));
        Assert.Equal(EnqueueOutcome.RejectedOverBudget, summary.Outcome);
        var left = await outbox.ReadNextAsync(1000);
        Assert.All(left, e => Assert.Equal(MessageClass.Alert, e.Class));
        Assert.Equal(alerts.Skip(1), left.Select(e => e.MessageId));
        Assert.Equal(1, outbox.GetStatistics().Dropped[(int)MessageClass.Alert]);
        Assert.Equal(1, outbox.GetStatistics().Dropped[(int)MessageClass.Summary]);
    }

    [Fact]
    public async Task Drops_AfterReopen_StillCounted()
    {
        await using (var outbox = Outbox.Open(Options(64 * 1024), _time, _log))
        {
            for (var i = 0; i < 100; i++)
            {
                await outbox.EnqueueAsync(Message(MessageClass.Telemetry, i, 900));
            }

            Assert.True(outbox.GetStatistics().Dropped[(int)MessageClass.Telemetry] > 0);
        }

        await using var reopened = Outbox.Open(Options(64 * 1024), _time, _log);
        var stats = reopened.GetStatistics();
        Assert.Equal(100 - stats.Depth[(int)MessageClass.Telemetry], stats.Dropped[(int)MessageClass.Telemetry]);
    }

    [Fact]
    public async Task ExpireAsync_PastTimeToLive_RemovesAndCountsPerClass()
    {
        var options = Options();
        options.TelemetryTimeToLive = TimeSpan.FromHours(1);
        options.SummaryTimeToLive = TimeSpan.FromDays(1);
        await using var outbox = Outbox.Open(options, _time, _log);
        await outbox.EnqueueAsync(Message(MessageClass.Telemetry, 1));
        await outbox.EnqueueAsync(Message(MessageClass.Summary, 1));
        await outbox.EnqueueAsync(Message(MessageClass.Alert, 1));
        _time.Advance(TimeSpan.FromMinutes(30));
        var fresh = await outbox.EnqueueAsync(Message(MessageClass.Telemetry, 2));

        Assert.Equal(0, await outbox.ExpireAsync());
        _time.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(1, await outbox.ExpireAsync());
        _time.Advance(TimeSpan.FromDays(365));
        Assert.Equal(2, await outbox.ExpireAsync());

        var stats = outbox.GetStatistics();
        Assert.Equal([0, 1, 2], stats.Expired);
        var left = Assert.Single(await outbox.ReadNextAsync(10));
        Assert.Equal(MessageClass.Alert, left.Class);
        Assert.DoesNotContain(fresh.MessageId, (await outbox.ReadNextAsync(10)).Select(e => e.MessageId));
    }

    [Fact]
    public async Task ExpireAsync_ClockBefore2020_SkipsExpiry()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(1970, 1, 1, 0, 0, 30, TimeSpan.Zero));
        var options = Options();
        options.TelemetryTimeToLive = TimeSpan.FromSeconds(1);
        await using var outbox = Outbox.Open(options, time, _log);
        await outbox.EnqueueAsync(Message(MessageClass.Telemetry, 1));
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await outbox.ExpireAsync());
        Assert.Equal(1, outbox.GetStatistics().TotalDepth);
        Assert.Equal(1, _log.Count(5006));
    }

    [Fact]
    public async Task Open_CorruptFile_MovedAsideNeverDeletedAndReported()
    {
        var options = Options();
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(options.DatabasePath, garbage);

        await using var outbox = Outbox.Open(options, _time, _log);

        var moved = Assert.Single(outbox.GetStatistics().CorruptFilesMovedAside);
        Assert.Equal(options.DatabasePath + ".corrupt-20261126T100000Z", moved);
        Assert.Equal(garbage, File.ReadAllBytes(moved));
        Assert.Equal(EnqueueOutcome.Stored, (await outbox.EnqueueAsync(Message(MessageClass.Alert, 1))).Outcome);
        Assert.Equal(1, _log.Count(5001));
        _log.AssertNoUnexpectedErrors(5001);
    }

    [Fact]
    public async Task Open_AfterCorruptFileMovedAside_StillReportsIt()
    {
        var options = Options();
        File.WriteAllBytes(options.DatabasePath, new byte[4096]);
        await using (Outbox.Open(options, _time, _log))
        {
        }

        await using var reopened = Outbox.Open(options, _time, _log);
        Assert.Single(reopened.GetStatistics().CorruptFilesMovedAside);
        Assert.Equal(1, _log.Count(5001));
    }

    [Fact]
    public async Task Open_AfterCleanShutdown_SkipsFullCheckButAfterCrashRunsIt()
    {
        var options = Options();
        await using (var first = Outbox.Open(options, _time, _log))
        {
            Assert.True(first.IntegrityChecked);
            await first.EnqueueAsync(Message(MessageClass.Alert, 1));

            // A copy taken while the outbox is open is what a power cut leaves behind.
            File.Copy(options.DatabasePath, _dir.File("crashed.db"));
            File.Copy(options.DatabasePath + "-wal", _dir.File("crashed.db-wal"));
        }

        await using (var clean = Outbox.Open(options, _time, _log))
        {
            Assert.False(clean.IntegrityChecked);
            Assert.Equal(1, clean.GetStatistics().TotalDepth);
        }

        await using var crashed = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("crashed.db") }, _time, _log);
        Assert.True(crashed.IntegrityChecked);
        Assert.Equal(1, crashed.GetStatistics().TotalDepth);
        Assert.Single(await crashed.ReadNextAsync(10));
    }

    [Fact]
    public async Task Open_AfterCrashWithDamagedPage_MovedAsideAndReported()
    {
        var options = Options();
        await using (var outbox = Outbox.Open(options, _time, _log))
        {
            await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => outbox.EnqueueAsync(Message(MessageClass.Summary, i, 600))));
        }

        // Simulate a crash (flag not clean) and a torn page in the middle of the table.
        using (var raw = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={options.DatabasePath};Pooling=False"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "UPDATE counters SET value = 0 WHERE name = 'clean_shutdown'; PRAGMA wal_checkpoint(TRUNCATE);";
            cmd.ExecuteNonQuery();
        }

        using (var file = new FileStream(options.DatabasePath, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2 / 4096 * 4096;
            file.Write(Enumerable.Repeat((byte)0xA5, 4096).ToArray());
        }

        await using var reopened = Outbox.Open(options, _time, _log);
        Assert.Single(reopened.GetStatistics().CorruptFilesMovedAside);
        Assert.Equal(0, reopened.GetStatistics().TotalDepth);
        Assert.Equal(1, _log.Count(5001));
    }

    [Fact]
    public async Task Open_AfterMixedWrites_DepthAndBytesMatchStoredRows()
    {
        var options = Options(64 * 1024);
        OutboxStatistics before;
        await using (var outbox = Outbox.Open(options, _time, _log))
        {
            for (var i = 0; i < 90; i++)
            {
                await outbox.EnqueueAsync(Message((MessageClass)(i % 3), i, 900));
            }

            var some = await outbox.ReadNextAsync(7);
            await outbox.AcknowledgeAsync(some.Select(e => e.Sequence).ToList());
            before = outbox.GetStatistics();
        }

        await using var reopened = Outbox.Open(options, _time, _log);
        var after = reopened.GetStatistics();
        Assert.Equal(before.Depth, after.Depth);
        Assert.Equal(before.Bytes, after.Bytes);
        var rows = await reopened.ReadNextAsync(10_000);
        Assert.Equal(after.TotalDepth, rows.Count);
        Assert.Equal(after.Bytes, rows.Sum(e => e.Body.Length + e.Tail.Length + e.EngineSerialsJson.Length + Outbox.RowOverheadBytes));
    }

    [Fact]
    public void Open_InvalidOptions_ThrowsNamingSetting()
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Outbox.Open(new OutboxOptions { DatabasePath = "", MaxOutboxBytes = 10 }));
        Assert.Contains("Outbox:DatabasePath", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Outbox:MaxOutboxBytes is 10", ex.Message, StringComparison.Ordinal);
    }
}
