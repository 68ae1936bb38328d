using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Uplink;

/// <summary>
/// The uplink composed for a host: opens the <see cref="Outbox"/>, starts an <see cref="EmbeddedBroker"/> when no
/// broker is configured, and runs the <see cref="UplinkSupervisor"/> in the background. Dispose to stop: the
/// supervisor says goodbye (offline status), then the outbox and the embedded broker close, in that order.
/// </summary>
public sealed class UplinkService : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private int _disposed;

    private UplinkService(Outbox outbox, UplinkSupervisor supervisor, EmbeddedBroker? broker)
    {
        Outbox = outbox;
        Supervisor = supervisor;
        EmbeddedBroker = broker;
        _run = supervisor.RunAsync(_stop.Token);
    }

    /// <summary>Where producers enqueue alerts, summaries and telemetry.</summary>
    public Outbox Outbox { get; }

    /// <summary>The running supervisor (connection state, counters, topics).</summary>
    public UplinkSupervisor Supervisor { get; }

    /// <summary>The in-process broker, when <see cref="UplinkOptions.UseEmbeddedBroker"/>; otherwise null.</summary>
    public EmbeddedBroker? EmbeddedBroker { get; }

    /// <summary>Validates both option sets, opens the outbox, starts the embedded broker if needed and starts publishing.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Either option set is invalid.</exception>
    public static async Task<UplinkService> StartAsync(UplinkOptions uplinkOptions, OutboxOptions outboxOptions, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(uplinkOptions);
        ArgumentNullException.ThrowIfNull(outboxOptions);
        UplinkOptionsValidator.ThrowIfInvalid(uplinkOptions);
        UplinkOptionsValidator.ThrowIfInvalid(outboxOptions);
        timeProvider ??= TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        EmbeddedBroker? broker = null;
        if (uplinkOptions.UseEmbeddedBroker)
        {
            broker = await EmbeddedBroker.StartAsync(uplinkOptions.EmbeddedBrokerPort, loggerFactory.CreateLogger<EmbeddedBroker>()).ConfigureAwait(false);
        }

        var outbox = Outbox.Open(outboxOptions, timeProvider, loggerFactory.CreateLogger<Outbox>());
        var supervisor = new UplinkSupervisor(uplinkOptions, outbox, timeProvider, loggerFactory.CreateLogger<UplinkSupervisor>());
        return new UplinkService(outbox, supervisor, broker);
    }

    /// <summary>Stops publishing (offline status, clean disconnect), then closes the outbox and the embedded broker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        await Outbox.DisposeAsync().ConfigureAwait(false);
        if (EmbeddedBroker is not null)
        {
            await EmbeddedBroker.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
