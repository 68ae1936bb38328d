using EdgeGateway.Core.Alerts;

namespace EdgeGateway.Core.Tests.Alerts;

public sealed class AlertTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 14, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Raise_ValidReport_RaisedWithCountOne()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now);

        Assert.Equal(AlertState.Raised, alert.State);
        Assert.Equal(1, alert.Count);
        Assert.Equal(s_now, alert.RaisedAt);
        Assert.True(alert.IsCrewFacing);
        Assert.Equal(2, alert.EnginePosition);
        Assert.Equal("ESN-779123", alert.EngineSerial);
        Assert.Equal("vibration", alert.Parameter);
        Assert.Equal(alert.Id + "-" + AlertSamples.FlightStart.ToUnixTimeMilliseconds(), alert.OccurrenceId);
        Assert.Equal(0.23, alert.Evidence.Excess!.Value, 9);
    }

    [Fact]
    public void Acknowledge_Raised_RecordsWhoHowWhen()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now).Acknowledge("gate panel", AcknowledgeChannel.Button, s_now.AddSeconds(5));

        Assert.Equal(AlertState.Acknowledged, alert.State);
        Assert.Equal(new AlertAcknowledgement("gate panel", AcknowledgeChannel.Button, s_now.AddSeconds(5)), alert.Acknowledgement);
    }

    [Fact]
    public void Clear_Acknowledged_Cleared()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now)
            .Acknowledge("crew 7", AcknowledgeChannel.CrewPage, s_now)
            .Clear("maintenance", s_now.AddMinutes(1));

        Assert.Equal(AlertState.Cleared, alert.State);
        Assert.False(alert.IsActive);
        Assert.Equal("maintenance", alert.Clearance!.By);
    }

    [Fact]
    public void Clear_Raised_RejectedWithStates()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now);

        var e = Assert.Throws<AlertStateException>(() => alert.Clear("maintenance", s_now));

        Assert.Equal(AlertState.Raised, e.From);
        Assert.Equal(AlertState.Cleared, e.To);
        Assert.Contains(alert.Id, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acknowledge_Twice_Rejected()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now).Acknowledge("a", AcknowledgeChannel.Button, s_now);

        var e = Assert.Throws<AlertStateException>(() => alert.Acknowledge("b", AcknowledgeChannel.Button, s_now));

        Assert.Equal(AlertState.Acknowledged, e.From);
    }

    [Fact]
    public void Acknowledge_Cleared_Rejected()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now).Acknowledge("a", AcknowledgeChannel.Button, s_now).Clear("m", s_now);

        Assert.Throws<AlertStateException>(() => alert.Acknowledge("b", AcknowledgeChannel.Button, s_now));
        Assert.Throws<AlertStateException>(() => alert.Clear("b", s_now));
    }

    [Fact]
    public void Acknowledge_NobodyNamed_Rejected()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now);

        Assert.Throws<ArgumentException>(() => alert.Acknowledge(" ", AcknowledgeChannel.Button, s_now));
    }

    [Fact]
    public void Repeat_HigherSeverityWhileAcknowledged_RaisedAgain()
    {
        var alert = Alert.Raise(AlertSamples.Report(AlertSeverity.Caution), s_now).Acknowledge("a", AcknowledgeChannel.Button, s_now);

        var repeated = alert.Repeat(AlertSamples.Report(AlertSeverity.Warning, minute: 3), s_now.AddMinutes(3));

        Assert.Equal(AlertState.Raised, repeated.State);
        Assert.Equal(AlertSeverity.Warning, repeated.Severity);
        Assert.Null(repeated.Acknowledgement);
        Assert.Equal(2, repeated.Count);
        Assert.Equal(alert.OccurrenceId, repeated.OccurrenceId);
        Assert.Equal(AlertSamples.FlightStart.AddMinutes(3), repeated.Evidence.WindowStart);
    }

    [Fact]
    public void Repeat_LowerSeverity_KeepsHighestAndState()
    {
        var alert = Alert.Raise(AlertSamples.Report(AlertSeverity.Warning), s_now).Acknowledge("a", AcknowledgeChannel.Button, s_now);

        var repeated = alert.Repeat(AlertSamples.Report(AlertSeverity.Caution), s_now.AddMinutes(1));

        Assert.Equal(AlertSeverity.Warning, repeated.Severity);
        Assert.Equal(AlertState.Acknowledged, repeated.State);
        Assert.Equal(s_now.AddMinutes(1), repeated.LastSeenAt);
    }

    [Fact]
    public void Repeat_OtherCause_Rejected()
    {
        var alert = Alert.Raise(AlertSamples.Report(), s_now);

        Assert.Throws<ArgumentException>(() => alert.Repeat(AlertSamples.Report(cause: AlertSamples.Cause(kind: "step")), s_now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("line one\nline two")]
    public void Raise_BadText_RejectedNamingText(string text)
    {
        var report = AlertSamples.Report() with { Text = text };

        var e = Assert.Throws<ArgumentException>(() => Alert.Raise(report, s_now));

        Assert.Equal("Text", e.ParamName);
    }

    [Fact]
    public void Raise_EvidenceWindowBackwards_Rejected()
    {
        var report = AlertSamples.Report() with { Evidence = AlertSamples.Evidence() with { WindowEnd = AlertSamples.FlightStart.AddMinutes(-1) } };

        var e = Assert.Throws<ArgumentException>(() => Alert.Raise(report, s_now));

        Assert.Equal("WindowEnd", e.ParamName);
    }

    [Fact]
    public void Raise_EvidenceWithoutChannels_Rejected()
    {
        var report = AlertSamples.Report() with { Evidence = AlertSamples.Evidence() with { Channels = [] } };

        Assert.Throws<ArgumentException>(() => Alert.Raise(report, s_now));
    }

    [Fact]
    public void Raise_DriftReport_MaintenanceOnly()
    {
        var report = AlertSamples.Report(AlertSeverity.Advisory, AlertSamples.Cause(AlertSource.Drift, parameter: "EGT", kind: "PSI"));

        Assert.False(Alert.Raise(report, s_now).IsCrewFacing);
    }

    [Fact]
    public void ForEngine_Parts_HouseForm()
    {
        Assert.Equal("ENG 2 vibration trend: inspect before next departure", AlertText.ForEngine(2, "vibration trend", AlertText.InspectBeforeDeparture));
    }
}
