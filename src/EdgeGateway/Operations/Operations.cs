using System.Diagnostics.Metrics;
using EdgeGateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace EdgeGateway.Operations;

/// <summary>systemd integration, health checks and metrics.</summary>
public static partial class Operations
{
    /// <summary>Name of the gateway's <see cref="Meter"/>.</summary>
    public const string MeterName = "EdgeGateway";

    /// <summary>Registers the systemd notifier and watchdog, the health check and the metrics exporter.</summary>
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var s = builder.Services;
        s.AddSingleton(_ => new SystemdNotifier());
        s.AddHostedService<SystemdWatchdogService>();
        s.AddHealthChecks().AddCheck<PipelineHealthCheck>("pipeline");
        s.AddSingleton<GatewayMetrics>();
        var otlp = builder.Configuration["Metrics:OtlpEndpoint"];
        var metrics = s.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(MeterName);
            if (!string.IsNullOrWhiteSpace(otlp))
            {
                m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            }
            else if (builder.Configuration.GetValue<bool>("Metrics:Console"))
            {
                m.AddConsoleExporter();
            }
        });
        return builder;
    }

    /// <summary>Maps <c>/healthz</c>.</summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/healthz");
        app.Services.GetRequiredService<GatewayMetrics>();
        return app;
    }

    /// <summary>Serves the crew page (static files from wwwroot/crew) at <c>/</c> and <c>/crew/</c>.</summary>
    public static WebApplication MapCrewPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/", () => Results.Redirect("/crew/"));
        return app;
    }

    private sealed class PipelineHealthCheck(PipelineHealth health) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(health.IsHealthy ? HealthCheckResult.Healthy("landing pipeline making progress") : HealthCheckResult.Unhealthy("landing pipeline stalled"));
    }
}

/// <summary>
/// Tells systemd the service is ready once the host has started, and feeds the watchdog at half
/// its interval only while the landing pipeline is healthy, so a stalled pipeline gets restarted.
/// </summary>
public sealed partial class SystemdWatchdogService(SystemdNotifier notifier, PipelineHealth health, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<SystemdWatchdogService> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }

        var started = new TaskCompletionSource();
        using var reg = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        notifier.Notify("READY=1");
        Log.Ready(logger);
        using var stopping = lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1"));

        var interval = notifier.WatchdogInterval;
        if (interval is null)
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        using var timer = new PeriodicTimer(interval.Value / 2, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (health.IsHealthy)
            {
                notifier.Notify("WATCHDOG=1");
            }
            else
            {
                Log.WatchdogWithheld(logger);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "Told systemd READY=1")]
        public static partial void Ready(ILogger logger);

        [LoggerMessage(EventId = 2501, Level = LogLevel.Error, Message = "Landing pipeline stalled: withholding WATCHDOG=1 so systemd restarts the service")]
        public static partial void WatchdogWithheld(ILogger logger);
    }
}

/// <summary>The gateway's metrics (System.Diagnostics.Metrics), exported through OpenTelemetry.</summary>
public sealed class GatewayMetrics : IDisposable
{
    private readonly Meter _meter = new(Operations.MeterName);

    /// <summary>Creates the instruments.</summary>
    public GatewayMetrics(Sessions.LandingSessionService sessions, Core.Alerts.AlertBoard board, Uplink.Outbox outbox)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(outbox);
        _meter.CreateObservableCounter("edgegateway.sessions.reported", () => sessions.SessionsReported, description: "Landing sessions reported");
        _meter.CreateObservableGauge("edgegateway.alerts.active", () => board.Current.Length, description: "Active alerts");
        _meter.CreateObservableGauge("edgegateway.outbox.depth", () => outbox.GetStatistics().TotalDepth, description: "Messages waiting in the outbox");
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
