using System.Diagnostics;
using System.Globalization;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Hosting;
using EdgeGateway.Uplink;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeGateway.Integration.Tests.Service;

/// <summary>The gateway service built with <see cref="GatewayHost.Build"/> and run in the test process on a free loopback port.</summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789";

    private readonly WebApplication _app;

    private InProcessGateway(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public AlertBoard Board => _app.Services.GetRequiredService<AlertBoard>();

    /// <summary>Starts the service; <paramref name="extra"/> are further <c>--Section:Key=value</c> settings.</summary>
    public static Task<InProcessGateway> StartAsync(string dataFolder, params string[] extra) => StartAsync(dataFolder, null, extra);

    /// <summary>Starts the service; <paramref name="configure"/> may replace registrations (devices) before it is built.</summary>
    public static async Task<InProcessGateway> StartAsync(string dataFolder, Action<WebApplicationBuilder>? configure, params string[] extra)
    {
        int port = EmbeddedBroker.FindFreeLoopbackPort();
        string url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        string[] args =
        [
            $"--Api:Urls:0={url}",
            $"--Api:ApiKey={ApiKey}",
            $"--Gateway:DataFolder={dataFolder}",
            $"--Gateway:LabelTable={RepoPaths.A320Table}",
            $"--Uplink:EmbeddedBrokerPort={EmbeddedBroker.FindFreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}",
            "--Logging:LogLevel:Default=Warning",
            .. extra,
        ];
        var builder = GatewayHost.CreateBuilder(args);
        configure?.Invoke(builder);
        var app = GatewayHost.Map(builder.Build());
        await app.StartAsync();
        return new InProcessGateway(app, url);
    }

    /// <summary>Raises an alert the way the pipeline's detectors do: a report to the board.</summary>
    public Alert Raise(int engine, string parameter, AlertSeverity severity, string text)
    {
        var now = DateTimeOffset.UtcNow;
        var report = new AlertReport(
            new AlertCause(AlertSource.Exceedance, engine, "ESN-TEST", parameter, "limit"),
            severity,
            text,
            new AlertEvidence { Channels = [$"ENG{engine}.{parameter}"], WindowStart = now.AddMinutes(-5), WindowEnd = now, Observed = 1.0, Reference = 2.0, Unit = "qt" });
        return Board.Report(report).Alert;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Runs the built <c>edgegateway.dll</c> as a child process.</summary>
internal static class GatewayProcess
{
    public static string Dll => Path.Combine(RepoPaths.Root, "src", "EdgeGateway", "bin", ConfigurationName, "net10.0", "edgegateway.dll");

#if DEBUG
    private const string ConfigurationName = "Debug";
#else
    private const string ConfigurationName = "Release";
#endif

    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return psi;
    }
}

/// <summary>Polls a condition; the limit only bounds a hung test, it is not a timing assertion.</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<bool> condition, string because, int limitSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(limitSeconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(50);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, int limitSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(limitSeconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(50);
        }
    }
}
