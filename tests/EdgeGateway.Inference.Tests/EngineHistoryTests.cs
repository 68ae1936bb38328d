using EdgeGateway.Inference.Rul;

namespace EdgeGateway.Inference.Tests;

public sealed class EngineHistoryTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static EngineSnapshot Snap(string serial, int flight, double t30) =>
        new(serial, "D-AISM", 1, $"F{flight:D3}", new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero).AddDays(flight), new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero).AddDays(flight), new Dictionary<string, double> { ["T30"] = t30, ["Nf"] = 2388 });

    [Fact]
    public void Last_AfterReopen_ReturnsNewestInFlightOrderPerSerial()
    {
        string path = Path.Combine(_dir.Path, "h.db");
        using (var h = new EngineHistory(path))
        {
            for (int f = 5; f >= 1; f--)
            {
                Assert.True(h.Add(Snap("779123", f, 1580 + f)));
            }

            h.Add(Snap("111111", 1, 1));
        }

        using var again = new EngineHistory(path);
        Assert.Equal(5, again.Count("779123"));
        var last = again.Last("779123", 3);
        Assert.Equal([1583.0, 1584.0, 1585.0], last.Select(s => s.Values["T30"]));
        Assert.Equal("F005", last[^1].FlightId);
    }

    [Fact]
    public void Add_SameLandingTwice_RecordedOnce()
    {
        using var h = new EngineHistory(Path.Combine(_dir.Path, "h.db"));
        Assert.True(h.Add(Snap("779123", 1, 1580)));
        Assert.False(h.Add(Snap("779123", 1, 1580)));
        Assert.Equal(1, h.Count("779123"));
    }
}
