using EdgeGateway.Api;
using EdgeGateway.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeGateway.Hosting;

/// <summary>Builds and runs the gateway service (no command-line arguments: the service).</summary>
public static class GatewayHost
{
    /// <summary>Builds the web application with every area composed; throws nothing for config errors (see <see cref="RunAsync"/>).</summary>
    public static WebApplication Build(string[] args) => Map(CreateBuilder(args).Build());

    /// <summary>
    /// The builder with every area composed, before it is built: a box with different devices
    /// replaces a registration (e.g. <see cref="CrewPanelHardware"/>) here, then calls <see cref="Map"/>.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Configuration.AddEnvironmentVariables("EDGEGATEWAY_");
        builder.AddGatewayCore()
            .AddLandingSessions()
            .AddUplink()
            .AddCrewPanel()
            .AddLocalApi()
            .AddOperations();
        return builder;
    }

    /// <summary>Maps the API, the crew page and the operations endpoints onto a built application.</summary>
    public static WebApplication Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The uplink starts with the service (outbox opened, broker connection supervised), not on first use.
        app.Services.GetRequiredService<Uplink.UplinkService>();
        app.MapLocalApi();
        app.MapCrewPage();
        app.MapOperations();
        return app;
    }

    /// <summary>Runs the service; returns the exit code (3 with one line per problem when the configuration is wrong).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var config = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("EDGEGATEWAY_")
            .AddCommandLine(args)
            .Build();
        var problems = StartupCheck.Run(config);
        if (problems.Count > 0)
        {
            error.WriteLine($"edgegateway: the configuration has {problems.Count} problem(s):");
            foreach (string p in problems)
            {
                error.WriteLine("  " + p);
            }

            return Cli.ExitCodes.Config;
        }

        await using var app = Build(args);
        await app.RunAsync();
        return Cli.ExitCodes.Ok;
    }
}
