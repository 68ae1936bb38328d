using System.Text;
using EdgeGateway.Uplink.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests;

/// <summary>The disk budget fills during an outage: documented drops happen, alerts survive, the status reports it.</summary>
public sealed class DiskBudgetTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new(output);

    public void Dispose() => _dir.Dispose();

    private static UplinkMessage Message(MessageClass cls, int n) =>
        new(cls, "G-EZAB", ["ESN-1"], Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('x', 900)}\"}}"));

    [Fact]
    public async Task RunAsync_BudgetReachedDuringOutage_AlertsSurviveDropsDocumentedAndReported()
    {
        await using var broker = await MosquittoBroker.StartAsync(_dir.Path);
        await using var subscriber = await TestSubscriber.StartAsync(broker);
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("outbox.db"), MaxOutboxBytes = 64 * 1024 }, TimeProvider.System, _log);

        // Offline: the gateway is not connected while the budget fills.
        var summaries = new List<Guid>();
        var alerts = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            await outbox.EnqueueAsync(Message(MessageClass.Telemetry, i));
        }

        for (var i = 0; i < 30; i++)
        {
            summaries.Add((await outbox.EnqueueAsync(Message(MessageClass.Summary, i))).MessageId);
        }

        for (var i = 0; i < 40; i++)
        {
            alerts.Add((await outbox.EnqueueAsync(Message(MessageClass.Alert, i))).MessageId);
        }

        var refusedTelemetry = await outbox.EnqueueAsync(Message(MessageClass.Telemetry, 99));
        Assert.Equal(EnqueueOutcome.RejectedOverBudget, refusedTelemetry.Outcome);
        var stats = outbox.GetStatistics();
        var droppedSummaries = (int)stats.Dropped[(int)MessageClass.Summary];
        Assert.Equal(21, stats.Dropped[(int)MessageClass.Telemetry]);
        Assert.Equal(0, stats.Dropped[(int)MessageClass.Alert]);
        Assert.InRange(droppedSummaries, 1, 29);

        var supervisor = new UplinkSupervisor(broker.GatewayOptions("gw-budget"), outbox, TimeProvider.System, _log, new Random(9));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);
        await Eventually.AssertAsync(() => outbox.GetStatistics().TotalDepth == 0, "the surviving backlog drains");
        await Eventually.AssertAsync(() => subscriber.Envelopes().Count >= 40 + 30 - droppedSummaries, "the surviving messages arrive");

        var received = subscriber.Envelopes();
        Assert.Equal(alerts, received.Where(e => e.Class == MessageClass.Alert).Select(e => e.MessageId).Distinct());
        Assert.Equal(summaries.Skip(droppedSummaries), received.Where(e => e.Class == MessageClass.Summary).Select(e => e.MessageId).Distinct());
        Assert.DoesNotContain(received, e => e.Class == MessageClass.Telemetry);

        var status = subscriber.Statuses().First(s => s.Online);
        Assert.Equal(21, status.Drops!["telemetry"]);
        Assert.Equal(droppedSummaries, status.Drops["summary"]);
        Assert.Equal(0, status.Drops["alert"]);
        Assert.Equal(64 * 1024, status.Outbox!.MaxBytes);

        await stop.CancelAsync();
        await run;
        _log.AssertNoUnexpectedErrors();
    }
}
