using System.Text;
using EdgeGateway.Uplink.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests;

/// <summary>The broker stops and restarts while messages stream in: everything arrives, in order per class.</summary>
public sealed class BrokerOutageTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new(output);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_BrokerRestartedMidStream_EverythingArrivesInOrderPerClassWithoutDuplicates()
    {
        await using var broker = await MosquittoBroker.StartAsync(_dir.Path);
        await using var subscriber = await TestSubscriber.StartAsync(broker);
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("outbox.db") }, TimeProvider.System, _log);
        var supervisor = new UplinkSupervisor(broker.GatewayOptions("gw-0100"), outbox, TimeProvider.System, _log, new Random(7));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);
        await Eventually.AssertAsync(() => supervisor.IsConnected, "the supervisor connects");

        var expected = MessageClasses.All.ToDictionary(c => c, _ => new List<Guid>());
        var random = new Random(11);
        async Task EnqueueAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var cls = (MessageClass)random.Next(MessageClasses.Count);
                var result = await outbox.EnqueueAsync(new UplinkMessage(cls, "G-EZAB", ["ESN-1"], Encoding.UTF8.GetBytes($"{{\"i\":{i}}}")));
                expected[cls].Add(result.MessageId);
                if (i % 10 == 0)
                {
                    await Task.Delay(2);
                }
            }
        }

        await EnqueueAsync(300);
        await broker.StopAsync();
        await EnqueueAsync(300);
        await Eventually.AssertAsync(() => !supervisor.IsConnected, "the supervisor notices the outage");
        await Eventually.AssertAsync(() => _log.Count(5011) >= 2, "reconnect attempts fail while the broker is down");
        await broker.StartAgainAsync();
        await EnqueueAsync(300);

        var total = expected.Values.Sum(l => l.Count);
        await Eventually.AssertAsync(() => subscriber.Envelopes().Select(e => e.MessageId).Distinct().Count() >= total, "every message arrives");
        await Eventually.AssertAsync(() => outbox.GetStatistics().TotalDepth == 0, "the outbox drains");

        var envelopes = subscriber.Envelopes();
        foreach (var c in MessageClasses.All)
        {
            var firstSeen = envelopes.Where(e => e.Class == c).Select(e => e.MessageId).Distinct().ToList();
            Assert.Equal(expected[c], firstSeen);
        }

        Assert.Contains(envelopes, e => e.Replayed);
        Assert.Contains(envelopes, e => !e.Replayed);
        Assert.True(supervisor.ConnectionCount >= 2);
        output.WriteLine($"received {envelopes.Count} envelopes for {total} messages; connections {supervisor.ConnectionCount}");

        await stop.CancelAsync();
        await run;
        _log.AssertNoUnexpectedErrors();
    }
}
