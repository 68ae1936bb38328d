using System.Buffers;
using System.Text;
using EdgeGateway.Uplink.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests;

public sealed class UplinkServiceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StartAsync_NoBrokerConfigured_RunsEmbeddedLoopbackBrokerAndPublishes()
    {
        var log = new TestLogger(output);
        using var loggerFactory = new SingleLoggerFactory(log);
        var uplink = new UplinkOptions { OperatorId = "acme", GatewayId = "gw-fresh", EmbeddedBrokerPort = EmbeddedBroker.FindFreeLoopbackPort() };
        var service = await UplinkService.StartAsync(uplink, new OutboxOptions { DatabasePath = _dir.File("outbox.db") }, TimeProvider.System, loggerFactory);
        try
        {
            Assert.NotNull(service.EmbeddedBroker);
            using var subscriber = new MqttClientFactory().CreateMqttClient();
            var received = new List<string>();
            subscriber.ApplicationMessageReceivedAsync += e =>
            {
                lock (received)
                {
                    received.Add(e.ApplicationMessage.Topic);
                }

                return Task.CompletedTask;
            };
            await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", uplink.EmbeddedBrokerPort).Build());
            await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("fleet/v1/acme/gw-fresh/alert", MqttQualityOfServiceLevel.AtLeastOnce).Build());

            await service.Outbox.EnqueueAsync(new UplinkMessage(MessageClass.Alert, "G-EZAB", ["ESN-1"], Encoding.UTF8.GetBytes("{}")));
            await Eventually.AssertAsync(() => { lock (received) { return received.Count == 1; } }, "the alert reaches the embedded broker");
        }
        finally
        {
            await service.DisposeAsync();
        }

        log.AssertNoUnexpectedErrors();
    }

    private sealed class SingleLoggerFactory(TestLogger logger) : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
