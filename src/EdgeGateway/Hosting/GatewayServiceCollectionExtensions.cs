using EdgeGateway.Bus;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Crew;
using EdgeGateway.Sessions;
using EdgeGateway.Simulator.Flights;
using EdgeGateway.Sources;
using EdgeGateway.Uplink;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Hosting;

/// <summary>Composition of the gateway, one extension per area.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Options, time, label table, pipeline health and the alert board.</summary>
    public static WebApplicationBuilder AddGatewayCore(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var s = builder.Services;
        s.TryAddSingleton(TimeProvider.System);
        s.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        s.AddOptions<BusOptions>().Bind(builder.Configuration.GetSection(BusOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        s.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        s.AddSingleton(sp => LabelTableLoader.Load(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.LabelTable));
        s.AddSingleton(sp => new PipelineHealth(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(10)));
        s.AddSingleton(sp => new AlertBoard(sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>The word source and the landing session loop.</summary>
    public static WebApplicationBuilder AddLandingSessions(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var s = builder.Services;
        s.AddSingleton(sp => new SessionJournal(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataFolder));
        s.AddSingleton(sp => new SignalRecorder(sp.GetRequiredService<LabelTable>()));
        s.AddSingleton<RecentSummaries>();
        s.AddSingleton<ILandingReporter>(sp => sp.GetRequiredService<RecentSummaries>());
        s.AddSingleton<Func<IFrameSource>>(sp => () => CreateSource(sp));
        // Models, exceedance limits and engine history: section Analysis (Models, TrustedKeys, Limits,
        // History), found beside the executable or above the working directory when not set.
        s.AddSingleton(sp =>
        {
            var paths = new Landing.AnalysisPaths();
            builder.Configuration.GetSection("Analysis").Bind(paths);
            paths.History ??= Path.Combine(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataFolder, "engine-history.db");
            return paths.Build(sp.GetRequiredService<LabelTable>());
        });
        s.AddSingleton<LandingSessionService>();
        s.AddHostedService(sp => sp.GetRequiredService<LandingSessionService>());
        return builder;
    }

    /// <summary>Durable outbox, MQTT supervisor, and the embedded broker when none is configured.</summary>
    public static WebApplicationBuilder AddUplink(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var s = builder.Services;
        s.AddOptions<UplinkOptions>().Bind(builder.Configuration.GetSection(UplinkOptions.SectionName));
        s.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .PostConfigure<IOptions<GatewayOptions>>((o, g) => StartupCheck.EffectiveOutbox(o, g.Value));
        s.AddSingleton<IValidateOptions<UplinkOptions>, UplinkOptionsValidator>();
        s.AddSingleton<IValidateOptions<OutboxOptions>, UplinkOptionsValidator>();
        // Started on first use (the session loop's reporters or the API): opens the outbox, starts the
        // embedded broker when no broker is configured, and runs the supervisor until the container is disposed.
        s.AddSingleton(sp =>
        {
            var outbox = sp.GetRequiredService<IOptions<OutboxOptions>>().Value;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outbox.DatabasePath))!);
            return UplinkService.StartAsync(sp.GetRequiredService<IOptions<UplinkOptions>>().Value, outbox, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>())
                .GetAwaiter().GetResult();
        });
        s.AddSingleton(sp => sp.GetRequiredService<UplinkService>().Outbox);
        s.AddSingleton<ILandingReporter, OutboxSummaryReporter>();
        s.AddHostedService<AlertForwarder>();
        return builder;
    }

    /// <summary>Crew annunciator (hardware) or the console panel.</summary>
    public static WebApplicationBuilder AddCrewPanel(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CrewOptions>().Bind(builder.Configuration.GetSection(CrewOptions.SectionName));
        builder.Services.TryAddSingleton<CrewPanelHardware>();
        builder.Services.AddSingleton<CrewPanelService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CrewPanelService>());
        return builder;
    }

    private static IFrameSource CreateSource(IServiceProvider sp)
    {
        var bus = sp.GetRequiredService<IOptions<BusOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        if (bus.Source == BusSourceKind.Serial)
        {
            return new SerialFrameSource(
                new SerialFrameSourceOptions { PortName = bus.SerialPort!, BaudRate = bus.BaudRate },
                time,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<SerialFrameSource>());
        }

        var sim = sp.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var faults = sim.Faults.Select(f => FaultSpec.TryParse(f, out var spec, out _) ? spec! : throw new OptionsValidationException(SimulatorOptions.SectionName, typeof(SimulatorOptions), [$"Simulator:Faults '{f}' is invalid"])).ToArray();
        var flights = Enumerable.Range(0, sim.RepeatLandings + 1)
            .Select(i => new FlightOptions { Seed = sim.Seed + i, Duration = sim.FlightDuration, TailNumber = gateway.Tail, Faults = faults })
            .ToArray();
        return new SimulatedAircraftSource(sp.GetRequiredService<LabelTable>(), flights, sim.Speedup, bus.SilenceTimeout * 2, time);
    }
}
