namespace EdgeGateway.Uplink.Tests.Infrastructure;

/// <summary>Polls a condition; the limit only bounds a hung test, it is not a timing assertion.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(60);

    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? DefaultLimit);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return condition();
    }

    public static async Task AssertAsync(Func<bool> condition, string because, TimeSpan? limit = null)
    {
        Assert.True(await TrueAsync(condition, limit), because);
    }
}
