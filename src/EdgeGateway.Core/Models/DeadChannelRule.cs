namespace EdgeGateway.Core.Models;

/// <summary>
/// The gateway's dead-sensor rule, shared with the model lab's evaluation so that both count a
/// sensor that goes silent the same way: a channel whose last valid grid point lies at least
/// <see cref="DeadAfter"/> before the recording's last grid point is dead from the grid point after
/// its last valid one, and the data-quality alert is stamped <see cref="DeadAfter"/> after that.
/// The anomaly model never scores a window holding a gap, so this rule, not the model, is what
/// reports a sensor dropout.
/// </summary>
public static class DeadChannelRule
{
    /// <summary>A channel silent for this long before the end of the recording is reported dead.</summary>
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// True when a channel whose last valid value is at grid index <paramref name="lastValid"/>
    /// (negative: never valid, which is a missing channel, not a dead one) is dead at the
    /// recording's last grid index <paramref name="lastIndex"/>, grid points <paramref name="period"/> apart.
    /// </summary>
    public static bool IsDead(long lastValid, long lastIndex, TimeSpan period) =>
        lastValid >= 0 && IsSilentLongEnough((lastIndex - lastValid) * period);

    /// <summary>True when a channel silent from its last valid value to the end of the recording for <paramref name="silence"/> is dead.</summary>
    public static bool IsSilentLongEnough(TimeSpan silence) => silence >= DeadAfter;
}
