namespace EdgeGateway.Uplink;

/// <summary>
/// Exponential reconnect delay with "equal jitter": attempt n waits between half and all of
/// min(max, initial * 2^(n-1)), so a fleet that lost the broker together does not come back in lockstep.
/// </summary>
/// <param name="initial">Cap of the first attempt's delay.</param>
/// <param name="max">Largest cap.</param>
/// <param name="random">Source of jitter; pass a seeded instance for reproducible tests.</param>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private readonly Random _random = random ?? throw new ArgumentNullException(nameof(random));

    /// <summary>Delay before reconnect attempt <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan NextDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        // Doubling stops at 2^30 so the multiplication cannot overflow before the cap applies.
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var cap = Math.Min(max.Ticks, initial.Ticks * factor);
        return TimeSpan.FromTicks((long)((cap / 2) + (_random.NextDouble() * cap / 2)));
    }
}
