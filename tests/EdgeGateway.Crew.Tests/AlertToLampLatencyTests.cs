using System.Device.Gpio;
using System.Diagnostics;
using System.Globalization;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Crew.Tests.Fakes;
using Xunit.Abstractions;

namespace EdgeGateway.Crew.Tests;

/// <summary>
/// Measures the crew-panel part of the alert latency: from <see cref="AlertBoard.Report"/> being
/// called to the lamp pin's write reaching the GPIO driver, on the monotonic clock. Prints the
/// figures; asserts only a generous bound (the design asks for well under 100 ms end to end).
/// </summary>
public sealed class AlertToLampLatencyTests
{
    private const int WarmUp = 5;
    private const int Measured = 50;
    private static readonly TimeSpan s_generousBound = TimeSpan.FromSeconds(1);

    private readonly ITestOutputHelper _output;

    public AlertToLampLatencyTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Report_CautionOrWarning_LampPinWrittenWithinGenerousBound()
    {
        await using var panel = new TestPanel(driverClock: TimeProvider.System);
        await panel.StartAsync();
        long lampWrittenAt = 0;
        int watchedPin = -1;
        panel.Driver.OnCall = call =>
        {
            if (call.Op == PinOp.Write && call.Pin == Volatile.Read(ref watchedPin) && call.Value == PinValue.High)
            {
                Interlocked.CompareExchange(ref lampWrittenAt, call.Timestamp, 0);
            }
        };

        var latencies = new List<TimeSpan>(Measured);
        for (int i = 0; i < WarmUp + Measured; i++)
        {
            bool warning = i % 2 == 1;
            Volatile.Write(ref watchedPin, warning ? TestPanel.Red : TestPanel.Amber);
            Interlocked.Exchange(ref lampWrittenAt, 0);
            var report = TestPanel.Report(warning ? AlertSeverity.Warning : AlertSeverity.Caution, "latency-" + i.ToString(CultureInfo.InvariantCulture));

            long raisedAt = Stopwatch.GetTimestamp();
            Alert alert = panel.Board.Report(report).Alert;
            long writtenAt = Interlocked.Read(ref lampWrittenAt);

            Assert.NotEqual(0, writtenAt);
            if (i >= WarmUp)
            {
                latencies.Add(Stopwatch.GetElapsedTime(raisedAt, writtenAt));
            }

            // Back to dark for the next alert: acknowledge, clear (lamp off).
            panel.Board.Acknowledge(alert.Id, "latency test", AcknowledgeChannel.LocalApi);
            panel.Board.Clear(alert.Id, "latency test");
            Assert.Equal(PinValue.Low, panel.Driver.Level(warning ? TestPanel.Red : TestPanel.Amber));
        }

        latencies.Sort();
        TimeSpan median = latencies[latencies.Count / 2];
        TimeSpan p99 = latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1];
        TimeSpan max = latencies[^1];
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"alert raised -> lamp pin written, {Measured} alerts after {WarmUp} warm-up: median {median.TotalMicroseconds:F1} us, p99 {p99.TotalMicroseconds:F1} us, max {max.TotalMicroseconds:F1} us"));

        Assert.True(max < s_generousBound, $"slowest alert took {max} to reach the lamp pin");
    }
}
