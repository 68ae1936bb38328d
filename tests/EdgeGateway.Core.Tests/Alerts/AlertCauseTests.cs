using EdgeGateway.Core.Alerts;

namespace EdgeGateway.Core.Tests.Alerts;

public sealed class AlertCauseTests
{
    [Fact]
    public void Id_SameCause_SameIdEveryTime()
    {
        var a = new AlertCause(AlertSource.Exceedance, 1, "ESN-1", "EGT", "red line");
        var b = new AlertCause(AlertSource.Exceedance, 1, "ESN-1", "egt", "Red Line");

        Assert.Equal(a.Id, b.Id);
        Assert.Equal(a, b);
        Assert.StartsWith("exc-", a.Id, StringComparison.Ordinal);
        Assert.Equal(4 + 16, a.Id.Length);
    }

    [Fact]
    public void Id_KnownCause_PinnedValue()
    {
        // Pinned: the backend de-duplicates on this id, so its derivation must not change silently.
        var cause = new AlertCause(AlertSource.Exceedance, 1, "ESN-1", "EGT", "red line");

        Assert.Equal("v1|Exceedance|1|ESN-1|EGT|RED LINE", cause.Key);
        string expected = "exc-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("v1|Exceedance|1|ESN-1|EGT|RED LINE"u8).AsSpan(0, 8));
        Assert.Equal(expected, cause.Id);
    }

    [Theory]
    [InlineData(AlertSource.AnomalyEpisode, 2, "ESN-1", "vibration", "trend")]
    [InlineData(AlertSource.Exceedance, 1, "ESN-1", "vibration", "trend")]
    [InlineData(AlertSource.Exceedance, 2, "ESN-2", "vibration", "trend")]
    [InlineData(AlertSource.Exceedance, 2, "ESN-1", "EGT", "trend")]
    [InlineData(AlertSource.Exceedance, 2, "ESN-1", "vibration", "stuck")]
    public void Id_AnyPartDiffers_DifferentId(AlertSource source, int position, string serial, string parameter, string kind)
    {
        var reference = new AlertCause(AlertSource.Exceedance, 2, "ESN-1", "vibration", "trend");

        Assert.NotEqual(reference.Id, new AlertCause(source, position, serial, parameter, kind).Id);
    }

    [Theory]
    [InlineData(0, "ESN-1", "EGT", "red line", "enginePosition")]
    [InlineData(9, "ESN-1", "EGT", "red line", "enginePosition")]
    [InlineData(1, " ", "EGT", "red line", "engineSerial")]
    [InlineData(1, "ESN-1", "", "red line", "parameter")]
    [InlineData(1, "ESN-1", "EGT", "a|b", "kind")]
    public void Ctor_BadPart_ThrowsNamingIt(int position, string serial, string parameter, string kind, string paramName)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new AlertCause(AlertSource.Exceedance, position, serial, parameter, kind));

        Assert.Equal(paramName, e.ParamName);
    }

    [Fact]
    public void DefaultAudience_Drift_MaintenanceOnly()
    {
        Assert.Equal(AlertAudience.MaintenanceOnly, AlertSamples.Cause(AlertSource.Drift).DefaultAudience);
        Assert.Equal(AlertAudience.Crew, AlertSamples.Cause(AlertSource.DataQuality).DefaultAudience);
    }
}
