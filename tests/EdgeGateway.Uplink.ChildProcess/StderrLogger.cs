using Microsoft.Extensions.Logging;

namespace EdgeGateway.Uplink.ChildProcess;

/// <summary>Writes log entries to stderr as "LEVEL [event] message" so the parent test can check for errors.</summary>
internal sealed class StderrLogger : ILogger
{
    private readonly Lock _lock = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        lock (_lock)
        {
            Console.Error.WriteLine($"{logLevel.ToString().ToUpperInvariant()} [{eventId.Id}] {formatter(state, exception)} {exception}");
        }
    }
}
