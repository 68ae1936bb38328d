using EdgeGateway.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Hosting;

/// <summary>
/// Hosts the uplink: starts the embedded broker when no broker is configured (so the service works
/// on a fresh machine), then runs the MQTT supervisor until shutdown.
/// </summary>
public sealed partial class UplinkService(IOptions<UplinkOptions> options, Outbox outbox, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private EmbeddedBroker? _broker;

    /// <summary>The supervisor, once started.</summary>
    public UplinkSupervisor? Supervisor { get; private set; }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var logger = loggers.CreateLogger<UplinkService>();
        if (o.UseEmbeddedBroker)
        {
            _broker = await EmbeddedBroker.StartAsync(o.EmbeddedBrokerPort, loggers.CreateLogger<EmbeddedBroker>());
            Log.EmbeddedBroker(logger, _broker.Port);
        }

        Supervisor = new UplinkSupervisor(o, outbox, time, loggers.CreateLogger<UplinkSupervisor>());
        await Supervisor.RunAsync(stoppingToken);
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "No broker configured: embedded MQTT broker listening on 127.0.0.1:{Port}")]
        public static partial void EmbeddedBroker(ILogger logger, int port);
    }
}
