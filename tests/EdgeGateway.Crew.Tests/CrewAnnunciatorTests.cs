using System.Device.Gpio;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Crew.Tests.Fakes;
using static EdgeGateway.Crew.Tests.TestPanel;

namespace EdgeGateway.Crew.Tests;

public sealed class CrewAnnunciatorTests
{
    [Fact]
    public async Task StartAsync_LampTest_LampsAndBuzzerOnForConfiguredDurationThenOff()
    {
        await using var panel = new TestPanel(new CrewPanelOptions { LampTestDuration = TimeSpan.FromSeconds(3), ButtonDebounce = TimeSpan.Zero });

        Task start = panel.Annunciator.StartAsync();

        Assert.Equal(["open 17", "mode 17 Output", "write 17 L", "open 27", "mode 27 Output", "write 27 L", "open 22", "mode 22 Output", "write 22 L", "write 17 H", "write 27 H", "write 22 H"],
            panel.Driver.Calls.Select(c => c.ToString()));
        await panel.WaitForScreenAsync("LAMP TEST", "AMBER RED BUZZER ON");
        panel.Time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        Assert.False(start.IsCompleted);
        Assert.Equal(PinValue.High, panel.Driver.Level(Amber));

        panel.Time.Advance(TimeSpan.FromTicks(1));
        await start.WaitAsync(TimeSpan.FromSeconds(10));

        var writes = panel.Driver.Calls.Where(c => c.Op == PinOp.Write).ToList();
        Assert.Equal(["write 17 H", "write 27 H", "write 22 H", "write 17 L", "write 27 L", "write 22 L"], writes.Skip(3).Select(c => c.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(3), panel.Time.GetElapsedTime(writes[3].Timestamp, writes[6].Timestamp));
        await panel.WaitForScreenAsync(CrewScreen.IdleText, "NO CREW ALERTS");
        Assert.True(Hd44780Decoder.BacklightAlwaysOn(panel.Display.Written));
    }

    [Fact]
    public async Task StartAsync_Button_OpenedAsPullUpInputWithEdgeCallback()
    {
        await using var panel = new TestPanel();

        await panel.StartAsync();

        Assert.Equal(PinMode.InputPullUp, panel.Driver.ModeOf(Button));
        Assert.True(panel.Driver.HasCallbacks(Button));
    }

    [Fact]
    public async Task StartAsync_ExternalPullDown_InputModeAndActiveHighPress()
    {
        await using var panel = new TestPanel(new CrewPanelOptions { ButtonPull = ButtonPull.Down, ButtonHasExternalResistor = true, ButtonDebounce = TimeSpan.Zero });
        await panel.StartAsync();
        var alert = panel.Board.Report(Report(AlertSeverity.Caution)).Alert;

        panel.PressButton();

        Assert.Equal(PinMode.Input, panel.Driver.ModeOf(Button));
        Assert.True(panel.Board.TryGet(alert.Id, out var acked));
        Assert.Equal(AlertState.Acknowledged, acked!.State);
    }

    [Fact]
    public async Task Report_Caution_AmberAndBuzzerOnTextShown()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        int mark = panel.Driver.CallCount;

        panel.Board.Report(Report(AlertSeverity.Caution));

        Assert.Equal(["write 17 H", "write 22 H"], panel.Driver.Writes(mark));
        await panel.WaitForScreenAsync("ENG 2 vibration", "trend: inspect", "before next", "departure");
    }

    [Fact]
    public async Task Report_Warning_RedAndBuzzerOn()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        int mark = panel.Driver.CallCount;

        panel.Board.Report(Report(AlertSeverity.Warning, text: "ENG 1 EGT over red line"));

        Assert.Equal(["write 27 H", "write 22 H"], panel.Driver.Writes(mark));
        await panel.WaitForScreenAsync("ENG 1 EGT over red", "line", "", "WARNING PRESS ACK");
    }

    [Fact]
    public async Task PressButton_CautionRaised_AcknowledgedBuzzerOffAmberStays()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        var alert = panel.Board.Report(Report(AlertSeverity.Caution)).Alert;
        int mark = panel.Driver.CallCount;

        panel.PressButton();

        Assert.Equal(["write 22 L"], panel.Driver.Writes(mark, Amber, Red, Buzzer));
        Assert.True(panel.Board.TryGet(alert.Id, out var acked));
        Assert.Equal(AlertState.Acknowledged, acked!.State);
        Assert.Equal(CrewAnnunciator.ButtonOperator, acked.Acknowledgement!.By);
        Assert.Equal(AcknowledgeChannel.Button, acked.Acknowledgement.Channel);
        Assert.Equal(panel.Time.GetUtcNow(), acked.Acknowledgement.At);
        Assert.Equal(new CrewPanelOutputs(AmberLamp: true, RedLamp: false, Buzzer: false), panel.Annunciator.Outputs);
        await panel.WaitForScreenAsync("ACKNOWLEDGED: 1", "ENG 2 vibration", "trend: inspect", "before next..");
    }

    [Fact]
    public async Task FullCycle_CautionAckClear_PinSequenceAndIdleScreen()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        int mark = panel.Driver.CallCount;

        var alert = panel.Board.Report(Report(AlertSeverity.Caution)).Alert;
        panel.Board.Report(Report(AlertSeverity.Caution)); // a repeat writes nothing
        panel.PressButton();
        panel.Board.Clear(alert.Id, "maintenance");

        Assert.Equal(["write 17 H", "write 22 H", "write 22 L", "write 17 L"], panel.Driver.Writes(mark));
        await panel.WaitForScreenAsync(CrewScreen.IdleText, "NO CREW ALERTS");
    }

    [Fact]
    public async Task PressButton_WarningAndCaution_WarningAcknowledgedFirstBuzzerKeepsSounding()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        var caution = panel.Board.Report(Report(AlertSeverity.Caution, "c", text: "ENG 2 oil pressure low: inspect")).Alert;
        var warning = panel.Board.Report(Report(AlertSeverity.Warning, "w", text: "ENG 1 EGT over red line")).Alert;
        await panel.WaitForScreenAsync("ENG 1 EGT over red", "line", "", "WARNING +1 MORE");
        int mark = panel.Driver.CallCount;

        panel.PressButton();

        Assert.Empty(panel.Driver.Writes(mark));
        Assert.Equal(caution.Id, panel.Board.MostSevereUnacknowledgedCrewAlert!.Id);
        Assert.True(panel.Board.TryGet(warning.Id, out var w));
        Assert.Equal(AlertState.Acknowledged, w!.State);
        await panel.WaitForScreenAsync("ENG 2 oil pressure", "low: inspect", "", "CAUTION PRESS ACK");

        panel.PressButton();

        Assert.Equal(["write 22 L"], panel.Driver.Writes(mark));
        await panel.WaitForScreenAsync("ACKNOWLEDGED: 2", "ENG 1 EGT over red", "line");
    }

    [Fact]
    public async Task Report_EscalationAfterAcknowledge_RedOnAmberOffBuzzerAgain()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        panel.Board.Report(Report(AlertSeverity.Caution, text: "ENG 2 vibration high"));
        panel.PressButton();
        int mark = panel.Driver.CallCount;

        panel.Board.Report(Report(AlertSeverity.Warning, text: "ENG 2 vibration very high"));

        Assert.Equal(["write 17 L", "write 27 H", "write 22 H"], panel.Driver.Writes(mark));
        await panel.WaitForScreenAsync("ENG 2 vibration very", "high", "", "WARNING PRESS ACK");
    }

    [Fact]
    public async Task PressButton_ContactBounceWithinDebounce_OneAcknowledgement()
    {
        await using var panel = new TestPanel(new CrewPanelOptions { ButtonDebounce = TimeSpan.FromMilliseconds(500) });
        await panel.StartAsync();
        panel.Board.Report(Report(AlertSeverity.Caution, "a"));
        panel.Board.Report(Report(AlertSeverity.Caution, "b"));

        panel.PressButton();
        panel.PressButton(); // bounce: the contacts close again microseconds after the release

        Assert.Equal(1, panel.Board.UnacknowledgedCrewCount);
    }

    [Fact]
    public async Task PressButton_NothingRaised_NoChange()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        long version = panel.Board.Version;

        panel.PressButton();

        Assert.Equal(version, panel.Board.Version);
    }

    [Fact]
    public async Task Report_DriftNotice_NoLampNoBuzzerIdleScreen()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        int mark = panel.Driver.CallCount;

        panel.Board.Report(Report(AlertSeverity.Caution, "PSI", AlertSource.Drift, "EGT input drifted"));

        Assert.Empty(panel.Driver.Writes(mark));
        await panel.WaitForScreenAsync(CrewScreen.IdleText, "NO CREW ALERTS");
    }

    [Fact]
    public async Task Report_Advisory_TextOnlyNoLamp()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        int mark = panel.Driver.CallCount;

        panel.Board.Report(Report(AlertSeverity.Advisory, "dq", AlertSource.DataQuality, "ENG 2 oil temp sensor stuck"));

        Assert.Empty(panel.Driver.Writes(mark));
        await panel.WaitForScreenAsync("ENG 2 oil temp", "sensor stuck", "", "ADVISORY PRESS ACK");
    }

    [Fact]
    public async Task StartAsync_AlertAlreadyOnBoard_ShownAfterLampTest()
    {
        await using var panel = new TestPanel();
        panel.Board.Report(Report(AlertSeverity.Warning, text: "ENG 1 EGT over red line"));

        await panel.StartAsync();

        Assert.Equal(["write 17 L", "write 27 L", "write 22 L", "write 17 H", "write 27 H", "write 22 H", "write 17 L", "write 27 L", "write 22 L", "write 27 H", "write 22 H"], panel.Driver.Writes(0));
        await panel.WaitForScreenAsync("ENG 1 EGT over red", "line", "", "WARNING PRESS ACK");
    }

    [Fact]
    public async Task Display_DeviceFails_LampsStillWorkAndDisplayRecovers()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        await panel.WaitForScreenAsync(CrewScreen.IdleText, "NO CREW ALERTS");
        panel.Display.Fail = true;
        int mark = panel.Driver.CallCount;

        var alert = panel.Board.Report(Report(AlertSeverity.Caution, text: "ENG 2 oil pressure low: inspect")).Alert;

        Assert.Equal(["write 17 H", "write 22 H"], panel.Driver.Writes(mark));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (panel.Annunciator.DisplayFailures == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.Equal(1, panel.Annunciator.DisplayFailures);
        Assert.Empty(panel.Annunciator.DisplayedLines);

        panel.Display.Fail = false;
        panel.PressButton();

        await panel.WaitForScreenAsync("ACKNOWLEDGED: 1", "ENG 2 oil pressure", "low: inspect");
        Assert.Equal(AlertState.Acknowledged, panel.Board.Current.Single(a => a.Id == alert.Id).State);
    }

    [Fact]
    public async Task Display_DeviceBackWithoutAnyChange_RedrawnAfterRetryInterval()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        await panel.WaitForScreenAsync(CrewScreen.IdleText, "NO CREW ALERTS");
        panel.Display.Fail = true;
        panel.Board.Report(Report(AlertSeverity.Warning, text: "ENG 1 EGT over red line"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (panel.Annunciator.DisplayFailures == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        panel.Display.Fail = false;
        long redraws = panel.Annunciator.DisplayRedraws;
        while (panel.Annunciator.DisplayRedraws == redraws && DateTime.UtcNow < deadline)
        {
            // The retry waits on the fake clock: keep nudging it until the loop has armed its timer and fired.
            panel.Time.Advance(CrewAnnunciator.DisplayRetryInterval);
            await Task.Delay(5);
        }

        await panel.WaitForScreenAsync("ENG 1 EGT over red", "line", "", "WARNING PRESS ACK");
    }

    [Fact]
    public async Task DisposeAsync_AlertActive_OutputsLowAndPinsClosed()
    {
        var panel = new TestPanel();
        await panel.StartAsync();
        panel.Board.Report(Report(AlertSeverity.Warning));
        int mark = panel.Driver.CallCount;

        await panel.DisposeAsync();

        var after = panel.Driver.Calls.Skip(mark).Select(c => c.ToString()).ToList();
        Assert.Equal(["write 27 L", "write 22 L"], after.Where(c => c.StartsWith("write", StringComparison.Ordinal)));
        Assert.Contains("close 17", after);
        Assert.Contains("close 27", after);
        Assert.Contains("close 22", after);
        Assert.Contains("close 23", after);
        Assert.Equal(0, panel.Board.SubscriberFailures);
    }

    [Fact]
    public async Task StartAsync_Twice_Rejected()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => panel.Annunciator.StartAsync());
    }

    [Fact]
    public void Ctor_InvalidOptions_ConfigErrorNamingSetting()
    {
        var board = new AlertBoard(TimeProvider.System);
        using var gpio = new GpioController(new RecordingGpioDriver());
        using var display = new RecordingI2cDevice();

        var e = Assert.Throws<CrewPanelConfigException>(() => new CrewAnnunciator(new CrewPanelOptions { BuzzerPin = 17 }, board, gpio, display));

        Assert.Contains("pins.buzzer = 17: already used by pins.amberLamp", e.Message, StringComparison.Ordinal);
    }
}
