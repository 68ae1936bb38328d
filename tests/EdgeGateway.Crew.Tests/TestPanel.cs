using System.Collections.Immutable;
using System.Device.Gpio;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Crew.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Crew.Tests;

/// <summary>A crew panel on fake hardware: recording GPIO driver, recording I2C display, fake clock.</summary>
internal sealed class TestPanel : IAsyncDisposable
{
    public const int Amber = 17;
    public const int Red = 27;
    public const int Buzzer = 22;
    public const int Button = 23;

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public TestPanel(CrewPanelOptions? options = null, TimeProvider? driverClock = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero));
        Options = options ?? new CrewPanelOptions { ButtonDebounce = TimeSpan.Zero };
        Board = new AlertBoard(Time);
        Driver = new RecordingGpioDriver(driverClock ?? Time);
        Gpio = new GpioController(Driver);
        Display = new RecordingI2cDevice();
        Annunciator = new CrewAnnunciator(Options, Board, Gpio, Display, Time);
    }

    public FakeTimeProvider Time { get; }

    public CrewPanelOptions Options { get; }

    public AlertBoard Board { get; }

    public RecordingGpioDriver Driver { get; }

    public GpioController Gpio { get; }

    public RecordingI2cDevice Display { get; }

    public CrewAnnunciator Annunciator { get; }

    /// <summary>Starts the panel and runs the lamp test to its end on the fake clock.</summary>
    public async Task StartAsync()
    {
        Task start = Annunciator.StartAsync();
        Time.Advance(Options.LampTestDuration);
        await start.WaitAsync(s_wait);
    }

    public static AlertReport Report(AlertSeverity severity, string kind = "trend", AlertSource source = AlertSource.AnomalyEpisode, string? text = null) =>
        new(
            new AlertCause(source, 2, "ESN-779123", "vibration", kind),
            severity,
            text ?? "ENG 2 vibration trend: inspect before next departure",
            new AlertEvidence
            {
                Channels = ["ENG2.N2VIB"],
                WindowStart = new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero),
                WindowEnd = new DateTimeOffset(2026, 3, 14, 9, 1, 0, TimeSpan.Zero),
                Observed = 0.93,
                Reference = 0.7,
            });

    /// <summary>Presses and releases the button the way the wiring makes the pin move (pull-up: low while pressed).</summary>
    public void PressButton()
    {
        bool pullUp = Options.ButtonPull == ButtonPull.Up;
        Driver.SetInput(Button, pullUp ? PinValue.Low : PinValue.High);
        Driver.SetInput(Button, pullUp ? PinValue.High : PinValue.Low);
    }

    /// <summary>The screen decoded from every byte the display has received so far (the panel may still be writing).</summary>
    public string[] DecodedScreen() => Hd44780Decoder.ScreenSoFar(Display.Written);

    /// <summary>Waits until the decoded display shows <paramref name="expected"/> (trailing blanks ignored); fails after a generous time.</summary>
    public async Task<string[]> WaitForScreenAsync(params string[] expected)
    {
        string[] want = [.. Enumerable.Range(0, 4).Select(i => (i < expected.Length ? expected[i] : "").PadRight(20))];
        var deadline = DateTime.UtcNow + s_wait;
        string[] seen = DecodedScreen();
        while (!seen.SequenceEqual(want))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("display shows" + Environment.NewLine + Show(seen) + "expected" + Environment.NewLine + Show(want));
            }

            await Task.Delay(5);
            seen = DecodedScreen();
        }

        return seen;
    }

    public static string Show(IEnumerable<string> lines) => string.Concat(lines.Select(l => "|" + l + "|" + Environment.NewLine));

    public async ValueTask DisposeAsync()
    {
        await Annunciator.DisposeAsync();
        Gpio.Dispose();
        Display.Dispose();
    }

    public static ImmutableArray<string> Lines(params string[] lines) => [.. lines];
}
