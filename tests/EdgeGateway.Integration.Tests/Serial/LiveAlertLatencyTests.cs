using System.Device.Gpio;
using System.Diagnostics;
using System.Globalization;
using EdgeGateway.Bus;
using EdgeGateway.Bus.Tests;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Crew;
using EdgeGateway.Crew.Tests.Fakes;
using EdgeGateway.Hosting;
using EdgeGateway.Integration.Tests.Landing;
using EdgeGateway.Integration.Tests.Service;
using EdgeGateway.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeGateway.Integration.Tests.Serial;

/// <summary>
/// The running service on a socat pty, fed in real time (8 EGT words/s) with a landing whose EGT
/// exceeds its red line: the red lamp lights during the landing. The figure reported is the time
/// from writing the last word of the exceedance's evidence into the pty to the red lamp pin being
/// written, on one monotonic clock; the assertion is only a generous bound.
/// </summary>
public sealed class LiveAlertLatencyTests(ITestOutputHelper output)
{
    private const int RedLampPin = 27; // firmware-config/crew-panel.json

    [Fact]
    public async Task Service_EgtRedLineOverPty_RedLampLitDuringTheLandingSoonAfterTheLastWordOfEvidence()
    {
        var frames = EgtExceedanceFlight.Frames();

        // The last word of the evidence: the first prefix of the landing after which the live
        // analysis (frames one at a time, flushed, as the session does per read) raises the alert.
        int raisingFrames = EgtExceedanceFlight.FirstRaisingFrame(frames, out var expected);
        Assert.True(raisingFrames < frames.Length);

        using var dir = new TempDir();
        using var link = new SocatPair();
        var panel = new RecordingPanelHardware();
        await using var gateway = await InProcessGateway.StartAsync(
            dir.File("data"),
            b => b.Services.AddSingleton<CrewPanelHardware>(panel),
            "--Bus:Source=Serial",
            $"--Bus:SerialPort={link.HostEnd}",
            "--Bus:SilenceTimeout=00:00:02",
            "--Crew:Mode=Hardware",
            $"--Crew:PanelConfig={Path.Combine(RepoPaths.Root, "firmware-config", "crew-panel.json")}");
        await Until.TrueAsync(
            () => panel.Driver.Writes(0, RedLampPin) is { Count: >= 2 } w && w[^1] == $"write {RedLampPin} L" && w.Contains($"write {RedLampPin} H"),
            "the crew panel finishes its lamp test");

        long lampAt = 0;
        long evidenceAt = 0;
        bool litEarly = false;
        LandingState stateAtLamp = LandingState.Idle;
        var sessions = gateway.Services.GetRequiredService<LandingSessionService>();
        panel.Driver.OnCall = call =>
        {
            if (call is not { Op: PinOp.Write, Pin: RedLampPin } || call.Value != PinValue.High)
            {
                return;
            }

            if (Volatile.Read(ref evidenceAt) == 0)
            {
                litEarly = true; // before the evidence was complete: the prefix search would be wrong
            }
            else if (Interlocked.CompareExchange(ref lampAt, call.Timestamp, 0) == 0)
            {
                stateAtLamp = sessions.State;
            }
        };

        // The aircraft talks in real time: each frame written at its own adapter time.
        await using (var adapter = new FileStream(link.AdapterEnd, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            var bytes = new byte[AdapterProtocol.FrameLength];
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < frames.Length; i++)
            {
                var due = TimeSpan.FromMicroseconds(frames[i].TimestampMicros - frames[0].TimestampMicros);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                Assert.True(AdapterProtocol.TryWrite(frames[i], bytes, out _));
                if (i == raisingFrames - 1)
                {
                    Volatile.Write(ref evidenceAt, Stopwatch.GetTimestamp());
                }

                adapter.Write(bytes);
                adapter.Flush();
            }
        }

        await Until.TrueAsync(() => Interlocked.Read(ref lampAt) != 0, "the red lamp lights for the EGT red line", limitSeconds: 20);
        var latency = Stopwatch.GetElapsedTime(evidenceAt, lampAt);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"live alert latency: last word of evidence (frame {raisingFrames} of {frames.Length}) written to the pty -> red lamp pin written: {latency.TotalMilliseconds:0.0} ms"));
        Assert.False(litEarly, "the red lamp lit before the last word of the evidence was written");
        Assert.Equal(LandingState.Receiving, stateAtLamp);
        Assert.True(latency < TimeSpan.FromSeconds(2), $"latency {latency.TotalMilliseconds:0} ms");

        // The end of the landing reports the finding again: the same alert is updated, not raised twice.
        await Until.TrueAsync(() => sessions.SessionsReported == 1, "the landing is reported after the bus goes silent");
        var alert = Assert.Single(gateway.Board.Current, a => a.Source == AlertSource.Exceedance);
        Assert.Equal(expected.Cause.Id, alert.Id);
        Assert.Equal(2, alert.Count);
    }

    /// <summary>The panel on a recording GPIO driver and I2C display, opened by the service like the real devices.</summary>
    private sealed class RecordingPanelHardware : CrewPanelHardware
    {
        public RecordingGpioDriver Driver { get; } = new();

        public RecordingI2cDevice Display { get; } = new();

        public override CrewAnnunciator Open(CrewPanelOptions panel, AlertBoard board, TimeProvider time, ILogger<CrewAnnunciator> logger) =>
            new(panel, board, new GpioController(Driver), Display, time, logger);
    }
}
