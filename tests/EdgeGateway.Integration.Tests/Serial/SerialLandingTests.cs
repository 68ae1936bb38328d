using EdgeGateway.Bus.Tests;
using EdgeGateway.Cli;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Simulator.Cli;

namespace EdgeGateway.Integration.Tests.Serial;

/// <summary>
/// The simulator plays an aircraft on one end of a socat pty pair; the gateway's serial reader
/// receives on the other. The live summary must equal the summary of a capture of the same flight.
/// </summary>
public class SerialLandingTests
{
    private static readonly string[] s_flight = ["flight", "--hours", "0.25", "--seed", "11", "--fault", "oil-leak:1:5m", "--fault", "sensor-stuck:2:3m:EGT", "--table", RepoPaths.A320Table, "--quiet"];

    [Fact]
    public async Task Listen_SimulatorOverPty_SummaryEqualsCaptureReplayAndAlertsPrintedLive()
    {
        using var dir = new TempDir();
        using var link = new SocatPair();

        var listenOut = new StringWriter();
        var listenErr = new StringWriter();
        var listening = Task.Run(() => CommandLine.Run(
            ["listen", "--serial", link.HostEnd, "--silence", "2", "--tail", "D-AISM", "--flight", "SIM-11", "--table", RepoPaths.A320Table, "--models", dir.File("no-models"), "--summary-out", dir.File("live.json")],
            listenOut,
            listenErr));
        await WaitForAsync(() => listenOut.ToString().Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var simErr = new StringWriter();
        Assert.Equal(SimulatorCli.ExitOk, SimulatorCli.Run([.. s_flight, "--serial", link.AdapterEnd], TextWriter.Null, simErr));
        Assert.Equal(ExitCodes.Ok, await listening.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(SimulatorCli.ExitOk, SimulatorCli.Run([.. s_flight, "--out", dir.File("f.cap")], TextWriter.Null, TextWriter.Null));
        Assert.Equal(ExitCodes.Ok, CommandLine.Run(["replay", dir.File("f.cap"), "--table", RepoPaths.A320Table, "--models", dir.File("no-models"), "--summary-out", dir.File("replay.json")], TextWriter.Null, TextWriter.Null));

        var live = FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("live.json")));
        var replay = FlightSummaryJson.Parse(File.ReadAllBytes(dir.File("replay.json")));
        Assert.True(live.Words > 50_000, $"live run received {live.Words} words; stderr: {listenErr}");
        Assert.Equal(replay.Tail, live.Tail);
        Assert.Equal(replay.FlightId, live.FlightId);

        // Both without model packages: this is the bus path (decode, validate, condition, summarise);
        // live analysis against replay is LandingAnalysisTests' subject. Identity differs by source (the live start is the gateway clock at the first word, the type comes
        // from the label table, not a capture header); everything else must match byte for byte.
        // Alert times are grid times from each run's start, so they move with it.
        var shift = replay.StartUtc - live.StartUtc;
        var normalised = live with
        {
            StartUtc = replay.StartUtc,
            AircraftType = replay.AircraftType,
            Alerts = [.. live.Alerts.Select(a => a with { AtUtc = a.AtUtc + shift, WindowStartUtc = a.WindowStartUtc + shift, WindowEndUtc = a.WindowEndUtc + shift })],
        };
        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(FlightSummaryJson.ToUtf8(replay)),
            System.Text.Encoding.UTF8.GetString(FlightSummaryJson.ToUtf8(normalised)));

        // The stuck EGT on engine 2 is printed when it is decided, before the landing's summary, under
        // the id the summary gives it.
        string text = listenOut.ToString();
        var stuck = Assert.Single(live.Alerts, a => a.Source == "DataQuality" && a.EnginePosition == 2 && a.Parameter == "EGT");
        int printedLive = text.IndexOf($"({stuck.Id})", StringComparison.Ordinal);
        int summaryAlerts = text.IndexOf("Alerts a crew would have seen:", StringComparison.Ordinal);
        Assert.True(printedLive >= 0 && summaryAlerts > printedLive, text);
        Assert.StartsWith("ALERT ", text[text.LastIndexOf('\n', printedLive)..].TrimStart());
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(50);
        }
    }
}
