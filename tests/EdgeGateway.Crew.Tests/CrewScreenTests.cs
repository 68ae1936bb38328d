using System.Collections.Immutable;
using EdgeGateway.Core.Alerts;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Crew.Tests;

public sealed class CrewScreenTests
{
    [Fact]
    public void Wrap_HouseText_FourLinesAtWordBoundaries()
    {
        var lines = CrewScreen.Wrap("ENG 2 vibration trend: inspect before next departure", 20, 4);

        Assert.Equal(["ENG 2 vibration", "trend: inspect", "before next", "departure"], lines);
    }

    [Fact]
    public void Wrap_TooLong_CutWithDots()
    {
        var lines = CrewScreen.Wrap("ENG 2 vibration trend: inspect before next departure", 20, 3);

        Assert.Equal(["ENG 2 vibration", "trend: inspect", "before next.."], lines);
    }

    [Fact]
    public void Wrap_WordLongerThanLine_Broken()
    {
        var lines = CrewScreen.Wrap("ENG1.OILPRESSURE.SENSOR2 dead", 20, 4);

        Assert.Equal(["ENG1.OILPRESSURE.SEN", "SOR2 dead"], lines);
    }

    [Fact]
    public void Wrap_NonAsciiAndBackslash_ShownAsQuestionMark()
    {
        Assert.Equal(["ENG 2 EGT 950?C a?b"], CrewScreen.Wrap("ENG 2 EGT 950°C a\\b", 20, 4));
    }

    [Fact]
    public void Compose_NoAlerts_Idle()
    {
        Assert.Equal(CrewScreen.Idle, CrewScreen.Compose([]));
        Assert.All(CrewScreen.Idle, l => Assert.Equal(20, l.Length));
    }

    [Fact]
    public void Compose_ShortTextAndMoreWaiting_StatusLineCountsTheRest()
    {
        var board = new AlertBoard(new FakeTimeProvider());
        board.Report(TestPanel.Report(AlertSeverity.Caution, "a", text: "ENG 2 oil pressure low"));
        board.Report(TestPanel.Report(AlertSeverity.Caution, "b", text: "ENG 2 oil temp high"));
        board.Report(TestPanel.Report(AlertSeverity.Warning, "c", text: "ENG 1 EGT over red line"));

        ImmutableArray<string> screen = CrewScreen.Compose(board.Current);

        Assert.Equal(["ENG 1 EGT over red", "line", "", "WARNING +2 MORE"], screen.Select(l => l.TrimEnd()));
    }

    [Fact]
    public void Compose_OnlyMaintenanceNotices_Idle()
    {
        var board = new AlertBoard(new FakeTimeProvider());
        board.Report(TestPanel.Report(AlertSeverity.Warning, "psi", AlertSource.Drift));

        Assert.Equal(CrewScreen.Idle, CrewScreen.Compose(board.Current));
    }
}
