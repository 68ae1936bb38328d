using System.Security.Authentication;
using System.Text;
using EdgeGateway.Uplink.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests;

/// <summary>Mutual TLS against a real Mosquitto, and the ACL example confining each gateway to its subtree.</summary>
public sealed class MosquittoTlsTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new(output);
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(_dir.Path);

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_MutualTls_MessageArrivesWithEnvelopeAndProperties()
    {
        await using var subscriber = await TestSubscriber.StartAsync(_broker);
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("outbox.db") }, TimeProvider.System, _log);
        var options = _broker.GatewayOptions("gw-0001");
        var supervisor = new UplinkSupervisor(options, outbox, TimeProvider.System, _log, new Random(1));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);

        await Eventually.AssertAsync(() => supervisor.IsConnected, "the supervisor connects over mutual TLS");
        var enqueued = await outbox.EnqueueAsync(new UplinkMessage(MessageClass.Summary, "G-EZAB", ["ESN-1", "ESN-2"], Encoding.UTF8.GetBytes("""{"egtMarginC":41.5}""")));
        await Eventually.AssertAsync(() => subscriber.Messages.Any(m => m.Topic == "fleet/v1/acme/gw-0001/summary"), "the summary arrives");

        var received = subscriber.Messages.Single(m => m.Topic == "fleet/v1/acme/gw-0001/summary");
        var envelope = UplinkPayloads.ParseEnvelope(received.Payload);
        Assert.Equal(enqueued.MessageId, envelope.MessageId);
        Assert.Equal("gw-0001", envelope.GatewayId);
        Assert.Equal("G-EZAB", envelope.Tail);
        Assert.Equal(["ESN-1", "ESN-2"], envelope.EngineSerials);
        Assert.False(envelope.Replayed);
        Assert.Equal(41.5, envelope.Body.GetProperty("egtMarginC").GetDouble());
        Assert.Equal(enqueued.MessageId.ToString("D"), received.UserProperties[UplinkSupervisor.MessageIdProperty]);
        Assert.Equal("1", received.UserProperties[UplinkSupervisor.SchemaVersionProperty]);
        Assert.InRange(received.MessageExpiryInterval, 1u, (uint)TimeSpan.FromDays(30).TotalSeconds);
        await Eventually.AssertAsync(() => outbox.GetStatistics().TotalDepth == 0, "the message is removed after PUBACK");

        var status = subscriber.Statuses()[^1];
        Assert.True(status.Online);
        Assert.Equal("1.0.0-test", status.Versions!["gateway"]);

        await stop.CancelAsync();
        await run;
        await Eventually.AssertAsync(() => subscriber.Statuses() is [.., { Online: false }], "the goodbye marks the gateway offline");
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ConnectAsync_WithoutClientCertificate_Refused()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = TestSubscriber.TlsClientOptions(_broker, "no-cert", certPath: null, keyPath: null);
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(options));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task RunAsync_CertificateFromAnotherCa_RefusedAndMessagesKept()
    {
        var (cert, key) = _broker.Certificates.IssueClient("gw-0002", fromOtherCa: true);
        var options = _broker.GatewayOptions("gw-0002");
        options.ClientCertificatePath = cert;
        options.ClientKeyPath = key;
        await using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = _dir.File("outbox.db") }, TimeProvider.System, _log);
        await outbox.EnqueueAsync(new UplinkMessage(MessageClass.Alert, "G-EZAB", [], Encoding.UTF8.GetBytes("{}")));
        var supervisor = new UplinkSupervisor(options, outbox, TimeProvider.System, _log, new Random(2));
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);

        await Eventually.AssertAsync(() => _log.Count(5011) >= 3, "connection attempts are refused and retried");
        Assert.Equal(0, supervisor.ConnectionCount);
        Assert.Equal(1, outbox.GetStatistics().TotalDepth);
        await stop.CancelAsync();
        await run;
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ConnectAsync_WrongTargetHost_Refused()
    {
        var options = _broker.GatewayOptions("gw-0003");
        options.TargetHost = "broker.example.com";
        using var client = new MqttClientFactory().CreateMqttClient();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(UplinkClientOptions.Create(options, TimeProvider.System)));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Subscribe_OtherGatewaySubtree_RefusedByAclExample()
    {
        // Mosquitto 2.0's acl_file grants every SUBACK and refuses at delivery: a subscription on another gateway's
        // subtree receives nothing, and a publish there gets PUBACK "Not authorized".
        await using var backend = await TestSubscriber.StartAsync(_broker);
        var (certB, keyB) = _broker.Certificates.IssueClient("gw-b");
        var (certA, keyA) = _broker.Certificates.IssueClient("gw-a");
        using var gatewayB = new MqttClientFactory().CreateMqttClient();
        using var gatewayA = new MqttClientFactory().CreateMqttClient();
        var receivedByB = new System.Collections.Concurrent.ConcurrentQueue<string>();
        gatewayB.ApplicationMessageReceivedAsync += e =>
        {
            receivedByB.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await gatewayB.ConnectAsync(TestSubscriber.TlsClientOptions(_broker, "gw-b", certB, keyB));
        await gatewayA.ConnectAsync(TestSubscriber.TlsClientOptions(_broker, "gw-a", certA, keyA));
        await gatewayB.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("fleet/v1/acme/gw-a/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("fleet/v1/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        var publishIntoA = await gatewayB.PublishAsync(Message("fleet/v1/acme/gw-a/alert"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, publishIntoA.ReasonCode);

        // gw-a's alert is accepted before gw-b publishes its own, so had it been delivered to gw-b it would come first.
        Assert.True((await gatewayA.PublishAsync(Message("fleet/v1/acme/gw-a/alert"))).IsSuccess);
        Assert.True((await gatewayB.PublishAsync(Message("fleet/v1/acme/gw-b/alert"))).IsSuccess);
        await Eventually.AssertAsync(() => receivedByB.Contains("fleet/v1/acme/gw-b/alert"), "gw-b receives its own subtree");
        await Eventually.AssertAsync(() => backend.Messages.Any(m => m.Topic == "fleet/v1/acme/gw-a/alert"), "the backend receives gw-a's alert");
        Assert.DoesNotContain("fleet/v1/acme/gw-a/alert", receivedByB);
        Assert.Single(backend.Messages, m => m.Topic == "fleet/v1/acme/gw-a/alert");
    }

    private static MqttApplicationMessage Message(string topic) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
}
