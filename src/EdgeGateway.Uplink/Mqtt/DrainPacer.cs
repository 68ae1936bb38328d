namespace EdgeGateway.Uplink;

/// <summary>
/// Spaces replayed publishes to a rate in messages per second. Idle time earns no credit, so a backlog
/// never leaves in a burst above the rate. Waits shorter than <see cref="MinimumWait"/> are skipped and
/// made up later, which keeps high rates accurate on average despite timer granularity.
/// </summary>
internal sealed class DrainPacer(double messagesPerSecond, TimeProvider timeProvider)
{
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(5);

    private readonly double _interval = 1.0 / messagesPerSecond;
    private readonly long _start = timeProvider.GetTimestamp();
    private double _scheduled = double.NegativeInfinity;

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetElapsedTime(_start).TotalSeconds;
        _scheduled = Math.Max(_scheduled + _interval, now);
        var ahead = _scheduled - now;
        return ahead * 1000 < MinimumWait.TotalMilliseconds
            ? ValueTask.CompletedTask
            : new ValueTask(Task.Delay(TimeSpan.FromSeconds(ahead), timeProvider, cancellationToken));
    }
}
