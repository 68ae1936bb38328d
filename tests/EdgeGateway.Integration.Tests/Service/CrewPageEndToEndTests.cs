using System.Net.Http.Json;
using System.Text.Json;
using EdgeGateway.Bus.Tests;
using System.Device.Gpio;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Crew;
using EdgeGateway.Crew.Tests.Fakes;
using EdgeGateway.Hosting;
using EdgeGateway.Simulator.Cli;
using EdgeGateway.Uplink;
using EdgeGateway.Uplink.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace EdgeGateway.Integration.Tests.Service;

/// <summary>
/// The whole service: the simulator plays a faulty landing over a socat pty into the gateway
/// (Bus:Source=Serial), which publishes to Mosquitto over mutual TLS; the crew page in headless
/// Chromium shows the alert and acknowledges it; the crew panel runs in hardware mode on a recording
/// GPIO driver and I2C display.
/// </summary>
public class CrewPageEndToEndTests
{
    private const string GatewayId = "gw-e2e";
    private const int RedLampPin = 27; // firmware-config/crew-panel.json
    private const int AmberLampPin = 17;
    private const int BuzzerPin = 22;

    [Fact]
    public async Task Service_FaultyLandingOverPty_SummaryUplinkedAndAlertAcknowledgedOnCrewPage()
    {
        using var dir = new TempDir();
        using var link = new SocatPair();
        await using var broker = await MosquittoBroker.StartAsync(dir.Path);
        await using var subscriber = await TestSubscriber.StartAsync(broker);
        var (cert, key) = broker.Certificates.IssueClient(GatewayId);
        var panel = new RecordingPanelHardware();
        await using var gateway = await InProcessGateway.StartAsync(
            dir.File("data"),
            b => b.Services.AddSingleton<CrewPanelHardware>(panel),
            "--Bus:Source=Serial",
            $"--Bus:SerialPort={link.HostEnd}",
            "--Bus:SilenceTimeout=00:00:02",
            "--Uplink:BrokerHost=127.0.0.1",
            "--Uplink:TargetHost=localhost",
            $"--Uplink:BrokerPort={broker.Port}",
            $"--Uplink:CaCertificatePath={broker.Certificates.CaPath}",
            $"--Uplink:ClientCertificatePath={cert}",
            $"--Uplink:ClientKeyPath={key}",
            "--Uplink:OperatorId=acme",
            $"--Uplink:GatewayId={GatewayId}",
            "--Crew:Mode=Hardware",
            $"--Crew:PanelConfig={Path.Combine(RepoPaths.Root, "firmware-config", "crew-panel.json")}");

        // The aircraft lands and talks; the gateway reports the session when the bus goes silent.
        var simErr = new StringWriter();
        int simExit = await Task.Run(() => SimulatorCli.Run(
            ["flight", "--hours", "0.25", "--seed", "11", "--fault", "bearing-wear:1:5m", "--table", RepoPaths.A320Table, "--quiet", "--serial", link.AdapterEnd],
            TextWriter.Null,
            simErr));
        Assert.True(simExit == SimulatorCli.ExitOk, simErr.ToString());
        await Until.TrueAsync(() => subscriber.Envelopes().Any(e => e.Class == MessageClass.Summary), "the fleet backend receives the landing's summary over mutual TLS");
        var summary = subscriber.Envelopes().First(e => e.Class == MessageClass.Summary);
        Assert.Equal(GatewayId, summary.GatewayId);
        Assert.True(summary.Body.GetProperty("words").GetInt64() > 50_000, summary.Body.ToString());

        var summaries = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/summaries");
        Assert.Equal(1, summaries.GetArrayLength());

        // The gateway found the bearing wear on engine 1 by itself (anomaly model or exceedance), during
        // the landing, and told the crew panel and the fleet backend.
        var alert = gateway.Board.Current.Where(a => a.EnginePosition == 1 && a.Audience == AlertAudience.Crew).OrderBy(a => a.RaisedAt).FirstOrDefault();
        Assert.True(alert is not null, "no crew alert on engine 1: " + string.Join(" ; ", gateway.Board.Current.Select(a => $"{a.Id} {a.Text}")));
        Assert.DoesNotContain(gateway.Board.Current, a => a.EnginePosition == 2 && a.Audience == AlertAudience.Crew);
        int lampPin = alert.Severity == AlertSeverity.Warning ? RedLampPin : AmberLampPin;
        await Until.TrueAsync(() => panel.Driver.Level(BuzzerPin) == PinValue.High && panel.Driver.Level(lampPin) == PinValue.High, "the annunciator sounds the buzzer and lights the lamp");
        await Until.TrueAsync(() => subscriber.Envelopes().Any(e => e.Class == MessageClass.Alert && IsState(e.Body, "raised")), "the fleet backend receives the alert: " + string.Join(" ; ", subscriber.Messages.Select(m => m.Topic)));

        string channel = alert.Evidence.Channels[0];
        var signal = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alert.Id}/signal");
        Assert.Equal(channel.Replace(".", " ", StringComparison.Ordinal), signal.GetProperty("channel").GetString());
        Assert.True(signal.GetProperty("raw").EnumerateArray().Count(v => v.ValueKind == JsonValueKind.Number) > 100, "raw values of the landing are recorded");
        Assert.True(signal.GetProperty("conditioned").EnumerateArray().Count(v => v.ValueKind == JsonValueKind.Number) > 100, "conditioned values of the landing are recorded");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 900 } });
        await page.GotoAsync($"{gateway.BaseUrl}/crew/?key={InProcessGateway.ApiKey}");

        var item = page.Locator($"li.alert[data-alert-id='{alert.Id}']");
        await Assertions.Expect(item.Locator(".text")).ToHaveTextAsync(alert.Text);
        await Assertions.Expect(page.Locator(".engine[data-engine='1'] .state")).ToHaveTextAsync(alert.Severity == AlertSeverity.Warning ? "DO NOT DISPATCH" : "INSPECT");
        await Assertions.Expect(page.Locator(".engine[data-engine='2'] .state")).ToHaveTextAsync("OK");
        await Assertions.Expect(item.Locator(".caption")).ToContainTextAsync(channel.Replace(".", " ", StringComparison.Ordinal));
        string? shots = Environment.GetEnvironmentVariable("EDGEGATEWAY_SCREENSHOTS");
        if (!string.IsNullOrEmpty(shots))
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "crew-page-alert.png"), FullPage = true });
        }

        await item.Locator("button.ack").ClickAsync();

        // On the page (no reload), in the API, on the board (the annunciator's source) and upstream.
        await Assertions.Expect(item.Locator("button.ack")).ToHaveTextAsync("Acknowledged");
        await Assertions.Expect(item.Locator("button.ack")).ToBeDisabledAsync();
        var alerts = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/alerts");
        var doc = alerts.EnumerateArray().Single(a => a.GetProperty("id").GetString() == alert.Id);
        Assert.True(IsState(doc, "acknowledged"), doc.ToString());
        Assert.Equal("crewpage", doc.GetProperty("acknowledgedVia").GetString()?.ToLowerInvariant());
        Assert.True(gateway.Board.TryGet(alert.Id, out var onBoard));
        Assert.Equal(AlertState.Acknowledged, onBoard!.State);
        Assert.Equal(0, gateway.Board.UnacknowledgedCrewCount);
        await Until.TrueAsync(() => panel.Driver.Level(BuzzerPin) == PinValue.Low, "the annunciator silences the buzzer");
        Assert.Equal(PinValue.High, panel.Driver.Level(lampPin)); // the alert is still active
        await Until.TrueAsync(() => string.Join("|", Hd44780Decoder.ScreenSoFar(panel.Display.Written)).Contains("ACKNOWLEDGED: 1", StringComparison.Ordinal), "the panel display shows the acknowledgement");
        await Until.TrueAsync(() => subscriber.Envelopes().Any(e => e.Class == MessageClass.Alert && IsState(e.Body, "acknowledged")), "the acknowledgement is uplinked");
        if (!string.IsNullOrEmpty(shots))
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "crew-page-acknowledged.png"), FullPage = true });
        }
    }

    /// <summary>The panel on recording devices, opened by the service like the real GPIO chip and I2C bus.</summary>
    private sealed class RecordingPanelHardware : CrewPanelHardware
    {
        public RecordingGpioDriver Driver { get; } = new();

        public RecordingI2cDevice Display { get; } = new();

        public override CrewAnnunciator Open(CrewPanelOptions panel, AlertBoard board, TimeProvider time, ILogger<CrewAnnunciator> logger) =>
            new(panel, board, new GpioController(Driver), Display, time, logger);
    }

    // Enum values are strings; their casing is the alert JSON's business, not this test's.
    private static bool IsState(JsonElement alert, string state) =>
        string.Equals(alert.GetProperty("state").GetString(), state, StringComparison.OrdinalIgnoreCase);

    internal static string ChromiumPath() =>
        new[] { "/usr/lib/chromium/chromium", "/usr/bin/chromium" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Chromium is missing: run eng/install-test-deps.sh");
}
