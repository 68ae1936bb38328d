namespace EdgeGateway.Hosting;

/// <summary>
/// Heartbeat of the landing pipeline: the session loop beats while it runs; the systemd watchdog
/// and the health check treat a pipeline that has not beaten within the stall limit as unhealthy.
/// </summary>
/// <param name="time">Monotonic clock.</param>
/// <param name="stallLimit">Longest time between beats of a healthy pipeline.</param>
public sealed class PipelineHealth(TimeProvider time, TimeSpan stallLimit)
{
    private long _lastBeat = time.GetTimestamp();

    /// <summary>Records that the pipeline made progress (or is waiting normally for words).</summary>
    public void Beat() => Interlocked.Exchange(ref _lastBeat, time.GetTimestamp());

    /// <summary>True when the pipeline beat within the stall limit.</summary>
    public bool IsHealthy => time.GetElapsedTime(Interlocked.Read(ref _lastBeat)) <= stallLimit;
}
