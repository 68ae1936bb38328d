using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.Uplink.Tests.Infrastructure;

/// <summary>
/// Plays the fleet backend: a persistent-session QoS 1 subscriber (certificate CN <c>fleet-backend</c>) that
/// reconnects by itself when the broker goes away and records everything it receives.
/// </summary>
public sealed class TestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly string _filter;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Received> _received = new();

    private TestSubscriber(IMqttClient client, MqttClientOptions options, string filter)
    {
        _client = client;
        _options = options;
        _filter = filter;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _received.Enqueue(new Received(m.Topic, m.Payload.ToArray(), m.Retain, m.MessageExpiryInterval,
                m.UserProperties?.ToDictionary(p => p.Name, p => Encoding.UTF8.GetString(p.ValueBuffer.Span)) ?? []));
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += async _ =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(100, _stop.Token);
                    var result = await _client.ConnectAsync(_options, _stop.Token);
                    if (!result.IsSessionPresent)
                    {
                        await SubscribeAsync();
                    }

                    return;
                }
                catch (Exception) when (!_stop.IsCancellationRequested)
                {
                    // Broker still down: try again.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        };
    }

    public sealed record Received(string Topic, byte[] Payload, bool Retain, uint MessageExpiryInterval, Dictionary<string, string> UserProperties);

    public IReadOnlyList<Received> Messages => [.. _received];

    public static async Task<TestSubscriber> StartAsync(MosquittoBroker broker, string identity = "fleet-backend", string filter = "fleet/v1/#")
    {
        var (cert, key) = broker.Certificates.IssueClient(identity);
        var options = TlsClientOptions(broker, identity + "-" + Guid.NewGuid().ToString("N")[..8], cert, key);
        var subscriber = new TestSubscriber(new MqttClientFactory().CreateMqttClient(), options, filter);
        await subscriber._client.ConnectAsync(options);
        await subscriber.SubscribeAsync();
        return subscriber;
    }

    /// <summary>MQTT 5 options with TLS to the test broker, trusting its CA; <paramref name="certPath"/> null means no client certificate.</summary>
    public static MqttClientOptions TlsClientOptions(MosquittoBroker broker, string clientId, string? certPath, string? keyPath, string? caPath = null)
    {
        var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        ca.ImportFromPemFile(caPath ?? broker.Certificates.CaPath);
        return new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTcpServer("127.0.0.1", broker.Port)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(o =>
            {
                o.UseTls().WithTargetHost("localhost").WithTrustChain(ca)
                    .WithCertificateValidationHandler(e => UplinkClientOptions.ValidateServerCertificate(e.Certificate, e.SslPolicyErrors, ca, TimeProvider.System));
                if (certPath is not null)
                {
                    o.WithClientCertificates([UplinkClientOptions.LoadClientCertificate(certPath, keyPath!)]);
                }
            })
            .Build();
    }

    public async Task SubscribeAsync()
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var code = result.Items.Single().ResultCode;
        if (code != MqttClientSubscribeResultCode.GrantedQoS1)
        {
            throw new InvalidOperationException($"Subscription to {_filter} refused: {code}");
        }
    }

    /// <summary>Envelopes received on the alert/summary/telemetry topics (status excluded), in arrival order.</summary>
    public IReadOnlyList<UplinkEnvelope> Envelopes() =>
        [.. Messages.Where(m => !m.Topic.EndsWith("/status", StringComparison.Ordinal)).Select(m => UplinkPayloads.ParseEnvelope(m.Payload))];

    public IReadOnlyList<GatewayStatus> Statuses() =>
        [.. Messages.Where(m => m.Topic.EndsWith("/status", StringComparison.Ordinal)).Select(m => UplinkPayloads.ParseStatus(m.Payload))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval(0).Build());
        }
        catch (Exception)
        {
            // Broker already gone.
        }

        _client.Dispose();
        _stop.Dispose();
    }
}
