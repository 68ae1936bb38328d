namespace EdgeGateway.Core.Summaries;

/// <summary>
/// Maps grid indices of the conditioned fixed-rate grid to wall-clock time: index i is at
/// <see cref="Origin"/> + i x <see cref="Period"/>. The origin is the wall-clock time of the adapter
/// clock's zero (recording start minus the first word's timestamp), so replay and live agree.
/// </summary>
/// <param name="Origin">Wall-clock time of grid index 0.</param>
/// <param name="Period">Grid period.</param>
public readonly record struct GridClock(DateTimeOffset Origin, TimeSpan Period)
{
    /// <summary>Wall-clock time of grid index <paramref name="index"/>.</summary>
    public DateTimeOffset At(long index) => Origin + (Period * index);
}
