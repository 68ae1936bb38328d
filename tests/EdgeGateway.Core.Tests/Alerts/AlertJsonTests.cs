using System.Collections.Immutable;
using System.Text.Json;
using EdgeGateway.Core.Alerts;

namespace EdgeGateway.Core.Tests.Alerts;

public class AlertJsonTests
{
    [Fact]
    public void ToUtf8_RaisedAlert_CamelCaseNamesAndEnums()
    {
        var cause = new AlertCause(AlertSource.Exceedance, 2, "575292", "EGT", "redline");
        var evidence = new AlertEvidence
        {
            Channels = ["ENG2 EGT"],
            WindowStart = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero),
            WindowEnd = new DateTimeOffset(2026, 1, 1, 9, 0, 30, TimeSpan.Zero),
            Observed = 960,
            Reference = 950,
            Unit = "degC",
        };
        var alert = Alert.Raise(new AlertReport(cause, AlertSeverity.Warning, "ENG 2 EGT above red line: do not dispatch", evidence), evidence.WindowEnd);
        using var doc = JsonDocument.Parse(AlertJson.ToUtf8(alert));
        var r = doc.RootElement;
        Assert.Equal(1, r.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(cause.Id, r.GetProperty("id").GetString());
        Assert.Equal("exceedance", r.GetProperty("source").GetString());
        Assert.Equal("warning", r.GetProperty("severity").GetString());
        Assert.Equal("raised", r.GetProperty("state").GetString());
        Assert.Equal("crew", r.GetProperty("audience").GetString());
        Assert.Equal(960, r.GetProperty("evidence").GetProperty("observed").GetDouble());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("acknowledgedVia").ValueKind);
    }
}
