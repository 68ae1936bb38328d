namespace EdgeGateway.Core.Alerts;

/// <summary>Settings of an <see cref="AlertBoard"/>.</summary>
public sealed class AlertBoardOptions
{
    /// <summary>
    /// After a clear, reports of the same cause are held back (counted on the cleared alert) for this
    /// long before they raise a new occurrence. Default 10 minutes: a condition that flickers does
    /// not sound the buzzer again and again; one that persists comes back.
    /// </summary>
    public TimeSpan ReRaiseHoldOff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many cleared alerts are kept for <see cref="AlertBoard.GetRecentlyCleared"/>. Default 256.</summary>
    public int MaxClearedKept { get; set; } = 256;

    /// <summary>Checks the settings; the message names the setting, the value and what is allowed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (ReRaiseHoldOff < TimeSpan.Zero || ReRaiseHoldOff > TimeSpan.FromDays(1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(ReRaiseHoldOff), ReRaiseHoldOff, "ReRaiseHoldOff must be between 00:00:00 and 1 day");
        }

        if (MaxClearedKept is < 0 or > 100_000)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(MaxClearedKept), MaxClearedKept, "MaxClearedKept must be between 0 and 100000");
        }
    }
}
