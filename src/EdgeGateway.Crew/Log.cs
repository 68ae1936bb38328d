using Microsoft.Extensions.Logging;

namespace EdgeGateway.Crew;

/// <summary>Log messages of the crew panel; event ids 1400-1499.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Crew panel started: amber GPIO {AmberPin}, red GPIO {RedPin}, buzzer GPIO {BuzzerPin}, button GPIO {ButtonPin}, display I2C bus {Bus} address 0x{Address:X2}; lamp test {LampTest}")]
    public static partial void Started(ILogger logger, int amberPin, int redPin, int buzzerPin, int buttonPin, int bus, int address, TimeSpan lampTest);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "Crew display at I2C address 0x{Address:X2} failed ({Reason}); lamps and buzzer keep working; retrying on the next change (failure #{Failures})")]
    public static partial void DisplayFailed(ILogger logger, int address, string reason, long failures);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Crew display at I2C address 0x{Address:X2} working again")]
    public static partial void DisplayRecovered(ILogger logger, int address);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Acknowledge button: alert {AlertId} ({Text}) acknowledged")]
    public static partial void ButtonAcknowledged(ILogger logger, string alertId, string text);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Debug, Message = "Acknowledge button pressed with no unacknowledged crew alert")]
    public static partial void ButtonNothingToAcknowledge(ILogger logger);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Error, Message = "Acknowledge button press failed")]
    public static partial void ButtonFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Error, Message = "Crew panel output GPIO {Pin} write failed; will retry on the next change")]
    public static partial void OutputFailed(ILogger logger, int pin, Exception exception);
}
