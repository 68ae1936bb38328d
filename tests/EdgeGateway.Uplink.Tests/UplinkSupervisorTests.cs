using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using EdgeGateway.Uplink.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests;

/// <summary>Supervisor behaviour against the embedded MQTTnet broker (fast, no TLS).</summary>
public sealed class UplinkSupervisorTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new(output);
    private readonly ConcurrentQueue<MqttApplicationMessage> _received = new();
    private EmbeddedBroker _broker = null!;
    private IMqttClient _subscriber = null!;

    public async Task InitializeAsync()
    {
        _broker = await EmbeddedBroker.StartAsync(0, _log);
        _subscriber = new MqttClientFactory().CreateMqttClient();
        _subscriber.ApplicationMessageReceivedAsync += e =>
        {
            _received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await _subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        await _subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("fleet/v1/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    public async Task DisposeAsync()
    {
        _subscriber.Dispose();
        await _broker.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private UplinkOptions Options() => new()
    {
        OperatorId = "acme",
        GatewayId = "gw-emb",
        EmbeddedBrokerPort = _broker.Port,
        BacklogDrainRate = 100_000,
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        Versions = { ["gateway"] = "t" },
    };

    private IReadOnlyList<UplinkEnvelope> Envelopes() =>
        [.. _received.Where(m => !m.Topic.EndsWith("/status", StringComparison.Ordinal)).Select(m => UplinkPayloads.ParseEnvelope(m.Payload.ToArray()))];

    private static UplinkMessage Message(MessageClass cls, int n) => new(cls, "G-EZAB", ["ESN-1"], Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"));

    [Fact]
    public async Task RunAsync_BacklogAtStart_AlertsFirstMarkedReplayedThenLiveNot()
    {
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("o.db") }, TimeProvider.System, _log);
        var backlog = new List<EnqueueResult>();
        for (var i = 0; i < 30; i++)
        {
            backlog.Add(await outbox.EnqueueAsync(Message(i % 3 == 0 ? MessageClass.Alert : MessageClass.Summary, i)));
        }

        var supervisor = new UplinkSupervisor(Options(), outbox, TimeProvider.System, _log, new Random(3));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);
        await Eventually.AssertAsync(() => Envelopes().Count == 30, "the backlog drains");
        var live = await outbox.EnqueueAsync(Message(MessageClass.Summary, 99));
        await Eventually.AssertAsync(() => Envelopes().Count == 31, "the live message arrives");

        var received = Envelopes();
        Assert.All(received.Take(10), e => Assert.Equal(MessageClass.Alert, e.Class));
        Assert.All(received.Skip(10).Take(20), e => Assert.Equal(MessageClass.Summary, e.Class));
        Assert.All(received.Take(30), e => Assert.True(e.Replayed));
        Assert.Equal(live.MessageId, received[30].MessageId);
        Assert.False(received[30].Replayed);
        Assert.Equal(backlog.Where((_, i) => i % 3 == 0).Select(r => r.MessageId), received.Take(10).Select(e => e.MessageId));

        var retained = await _broker.Server.GetRetainedMessageAsync("fleet/v1/acme/gw-emb/status");
        Assert.True(UplinkPayloads.ParseStatus(retained.Payload.ToArray()).Online);

        await stop.CancelAsync();
        await run;
        retained = await _broker.Server.GetRetainedMessageAsync("fleet/v1/acme/gw-emb/status");
        Assert.False(UplinkPayloads.ParseStatus(retained.Payload.ToArray()).Online);
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task RunAsync_BacklogWithDrainRate_PublishesOnlyAsTimeAllows()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("o.db") }, time, _log);
        for (var i = 0; i < 20; i++)
        {
            await outbox.EnqueueAsync(Message(MessageClass.Summary, i));
        }

        var options = Options();
        options.BacklogDrainRate = 10; // one message per 100 ms of (fake) time
        var supervisor = new UplinkSupervisor(options, outbox, time, _log, new Random(4));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);

        await Eventually.AssertAsync(() => Envelopes().Count == 1, "the first replayed message goes at once");
        for (var expected = 2; expected <= 5; expected++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Eventually.AssertAsync(() => Envelopes().Count >= expected, $"message {expected} goes after 100 ms more");

            // The next one cannot go before fake time advances again.
            Assert.Equal(expected, Envelopes().Count);
        }

        await stop.CancelAsync();
        await run;
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task RunAsync_HalfOpenConnection_DetectedByPingTimeoutAndReconnected()
    {
        await using var proxy = new FreezableTcpProxy(_broker.Port);
        var options = Options();
        options.BrokerHost = "127.0.0.1";
        options.BrokerPort = proxy.Port;
        options.AllowPlainTcp = true;
        options.KeepAlivePeriod = TimeSpan.FromSeconds(1);
        options.PingTimeout = TimeSpan.FromSeconds(1);
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("o.db") }, TimeProvider.System, _log);
        var supervisor = new UplinkSupervisor(options, outbox, TimeProvider.System, _log, new Random(5));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);
        await Eventually.AssertAsync(() => supervisor.ConnectionCount == 1, "first connection");

        proxy.FreezeExisting();
        // Either our ping timeout (5013) or MQTTnet's keep-alive timeout (5012, timed out) notices first.
        await Eventually.AssertAsync(() => _log.Count(5013) + _log.Count(5012) >= 1, "the keep-alive ping flags the half-open connection");
        await Eventually.AssertAsync(() => supervisor.ConnectionCount >= 2, "the supervisor reconnects");
        var sent = await outbox.EnqueueAsync(Message(MessageClass.Alert, 1));
        await Eventually.AssertAsync(() => Envelopes().Any(e => e.MessageId == sent.MessageId), "publishing resumes");

        await stop.CancelAsync();
        await run;
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task RunAsync_BrokerDown_RetriesWithBackoffAndKeepsMessages()
    {
        var options = Options();
        options.EmbeddedBrokerPort = EmbeddedBroker.FindFreeLoopbackPort(); // nothing listens there
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("o.db") }, TimeProvider.System, _log);
        await outbox.EnqueueAsync(Message(MessageClass.Alert, 1));
        var supervisor = new UplinkSupervisor(options, outbox, TimeProvider.System, _log, new Random(6));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);

        await Eventually.AssertAsync(() => _log.Count(5011) >= 3, "failed attempts are logged as warnings");
        Assert.Equal(1, outbox.GetStatistics().TotalDepth);
        await stop.CancelAsync();
        await run;
        _log.AssertNoUnexpectedErrors();
    }
}
