using EdgeGateway.Core.Alerts;
using EdgeGateway.Crew;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Hosting;

/// <summary>
/// The crew panel: on a gateway box the GPIO lamps, buzzer, button and LCD
/// (<see cref="CrewAnnunciator"/>); elsewhere the console shows the same four LCD lines whenever
/// they change, so a person running the service sees what the crew would see.
/// </summary>
public sealed partial class CrewPanelService(IOptions<CrewOptions> options, AlertBoard board, CrewPanelHardware hardware, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private CrewAnnunciator? _annunciator;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Mode == CrewPanelMode.Hardware)
        {
            var panel = CrewPanelConfig.Load(options.Value.PanelConfig);
            _annunciator = hardware.Open(panel, board, time, loggers.CreateLogger<CrewAnnunciator>());
            await _annunciator.StartAsync(stoppingToken);
            return;
        }

        var logger = loggers.CreateLogger<CrewPanelService>();
        string last = "";
        void Show()
        {
            var lines = CrewScreen.Compose(board.Current);
            string text = string.Join(" | ", lines.Select(l => l.TrimEnd()));
            if (text != last)
            {
                last = text;
                Log.CrewScreen(logger, text);
            }
        }

        board.Changed += (_, e) =>
        {
            if (e.Alert.IsCrewFacing)
            {
                Log.CrewAlert(logger, e.Kind.ToString(), e.Alert.Severity.ToString().ToUpperInvariant(), e.Alert.Text);
            }

            Show();
        };
        Show();
        await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _annunciator?.Dispose();
        base.Dispose();
    }

    /// <summary>The annunciator last opened in hardware mode (null in console mode or before start).</summary>
    public CrewAnnunciator? Annunciator => _annunciator;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "CREW ALERT {Change}: [{Severity}] {Text}")]
        public static partial void CrewAlert(ILogger logger, string change, string severity, string text);

        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Crew panel: {Screen}")]
        public static partial void CrewScreen(ILogger logger, string screen);
    }
}

/// <summary>
/// Opens the crew panel's devices for <see cref="CrewPanelMode.Hardware"/>. The default opens the
/// board's GPIO chip and I2C bus through System.Device.Gpio; a box with a different GPIO chip or
/// display bus registers its own (for example a <see cref="System.Device.Gpio.GpioController"/> over
/// another <see cref="System.Device.Gpio.GpioDriver"/>).
/// </summary>
public class CrewPanelHardware
{
    /// <summary>Opens the devices and returns the annunciator driving them (not yet started).</summary>
    public virtual CrewAnnunciator Open(CrewPanelOptions panel, AlertBoard board, TimeProvider time, ILogger<CrewAnnunciator> logger) =>
        CrewAnnunciator.CreateForHardware(panel, board, time, logger);
}
