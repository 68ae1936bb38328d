using System.Threading.Channels;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Sessions;
using EdgeGateway.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Hosting;

/// <summary>Queues each landing's summary in the durable outbox (class Summary).</summary>
public sealed class OutboxSummaryReporter(Outbox outbox) : ILandingReporter
{
    /// <inheritdoc/>
    public async ValueTask ReportAsync(string sessionId, FlightSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var serials = summary.Engines.Select(e => e.Serial).OfType<string>().ToArray();
        await outbox.EnqueueAsync(new UplinkMessage(MessageClass.Summary, summary.Tail, serials, FlightSummaryJson.ToUtf8(summary)), cancellationToken);
    }
}

/// <summary>Keeps the most recent summaries for the local API.</summary>
public sealed class RecentSummaries : ILandingReporter
{
    private const int Keep = 50;
    private readonly Lock _gate = new();
    private readonly LinkedList<(string Id, FlightSummary Summary)> _items = new();

    /// <summary>Newest first.</summary>
    public IReadOnlyList<(string Id, FlightSummary Summary)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    /// <inheritdoc/>
    public ValueTask ReportAsync(string sessionId, FlightSummary summary, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _items.AddFirst((sessionId, summary));
            while (_items.Count > Keep)
            {
                _items.RemoveLast();
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Forwards alert changes to the outbox (class Alert). The board's change event runs inside its
/// lock, so it only queues; this service does the durable enqueue.
/// </summary>
public sealed partial class AlertForwarder : BackgroundService
{
    private readonly Channel<Alert> _pending = Channel.CreateUnbounded<Alert>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Outbox _outbox;
    private readonly GatewayOptions _gateway;
    private readonly ILogger<AlertForwarder> _logger;

    /// <summary>Subscribes to the board.</summary>
    public AlertForwarder(AlertBoard board, Outbox outbox, Microsoft.Extensions.Options.IOptions<GatewayOptions> gateway, ILogger<AlertForwarder> logger)
    {
        ArgumentNullException.ThrowIfNull(board);
        _outbox = outbox;
        _gateway = gateway.Value;
        _logger = logger;
        board.Changed += (_, e) => _pending.Writer.TryWrite(e.Alert);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ForwardAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown. Alerts not yet queued are on the board and re-reported by the next landing.
        }
    }

    private async Task ForwardAsync(CancellationToken stoppingToken)
    {
        await foreach (var alert in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            byte[] body = AlertJson.ToUtf8(alert);
            string[] serials = string.IsNullOrEmpty(alert.EngineSerial) ? [] : [alert.EngineSerial];
            var r = await _outbox.EnqueueAsync(new UplinkMessage(MessageClass.Alert, _gateway.Tail, serials, body), stoppingToken);
            Log.AlertQueued(_logger, alert.Id, alert.State, r.Outcome);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Alert {AlertId} ({State}) queued for the fleet backend: {Outcome}")]
        public static partial void AlertQueued(ILogger logger, string alertId, AlertState state, EnqueueOutcome outcome);
    }
}
