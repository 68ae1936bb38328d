namespace EdgeGateway.Uplink.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan s_initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(60);

    [Fact]
    public void NextDelay_SameSeed_SameSequence()
    {
        var a = new ReconnectBackoff(s_initial, s_max, new Random(42));
        var b = new ReconnectBackoff(s_initial, s_max, new Random(42));
        Assert.Equal(Enumerable.Range(1, 10).Select(a.NextDelay), Enumerable.Range(1, 10).Select(b.NextDelay));
    }

    [Fact]
    public void NextDelay_EachAttempt_BetweenHalfAndAllOfDoublingCap()
    {
        var backoff = new ReconnectBackoff(s_initial, s_max, new Random(1));
        for (var attempt = 1; attempt <= 40; attempt++)
        {
            var cap = TimeSpan.FromTicks(Math.Min(s_max.Ticks, s_initial.Ticks << Math.Min(attempt - 1, 20)));
            Assert.InRange(backoff.NextDelay(attempt), cap / 2, cap);
        }
    }

    [Fact]
    public void NextDelay_FleetWithDifferentSeeds_DoesNotReconnectInLockstep()
    {
        var delays = Enumerable.Range(0, 50).Select(seed => new ReconnectBackoff(s_initial, s_max, new Random(seed)).NextDelay(6)).ToList();
        Assert.True(delays.Distinct().Count() > 45);
        Assert.True(delays.Max() - delays.Min() > TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void NextDelay_AttemptZero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(s_initial, s_max, new Random(1)).NextDelay(0));
}
