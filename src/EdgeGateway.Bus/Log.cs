using Microsoft.Extensions.Logging;

namespace EdgeGateway.Bus;

/// <summary>Log messages of the bus area; event ids 1100-1199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Serial adapter {PortName} opened at {BaudRate} baud")]
    public static partial void PortOpened(ILogger logger, string portName, int baudRate);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Serial adapter {PortName} lost ({Reason}); {BytesLost} bytes of a partial frame dropped; waiting for the device to come back")]
    public static partial void PortLost(ILogger logger, string portName, string reason, int bytesLost);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Serial adapter {PortName} reconnected (reconnect #{Reconnects})")]
    public static partial void PortReconnected(ILogger logger, string portName, long reconnects);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Serial adapter {PortName} cannot be opened ({Reason}); retrying every {Delay}")]
    public static partial void PortUnavailable(ILogger logger, string portName, string reason, TimeSpan delay);
}
