using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeGateway.Uplink.Tests.Infrastructure;

/// <summary>Records every entry (and echoes it to the test output); <see cref="AssertNoUnexpectedErrors"/> fails the test on an error.</summary>
public sealed class TestLogger(ITestOutputHelper? output = null) : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = formatter(state, exception) + (exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message);
        _entries.Enqueue((logLevel, eventId, text));
        try
        {
            output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} [{eventId.Id}] {text}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; the entry is still recorded.
        }
    }

    public int Count(int eventId) => _entries.Count(e => e.Id.Id == eventId);

    /// <summary>Fails when an entry at Error or above was logged whose event id is not in <paramref name="expectedEventIds"/>.</summary>
    public void AssertNoUnexpectedErrors(params int[] expectedEventIds)
    {
        var unexpected = _entries.Where(e => e.Level >= LogLevel.Error && !expectedEventIds.Contains(e.Id.Id)).ToList();
        Assert.True(unexpected.Count == 0, "Unexpected errors logged: " + string.Join(" | ", unexpected.Select(e => $"[{e.Id.Id}] {e.Message}")));
    }
}
