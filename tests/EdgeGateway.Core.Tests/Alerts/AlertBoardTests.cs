using EdgeGateway.Core.Alerts;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Core.Tests.Alerts;

public sealed class AlertBoardTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero));

    private AlertBoard NewBoard(TimeSpan? holdOff = null) =>
        new(_time, new AlertBoardOptions { ReRaiseHoldOff = holdOff ?? TimeSpan.FromMinutes(10) });

    [Fact]
    public void Report_NewCause_RaisedAndEventDelivered()
    {
        var board = NewBoard();
        var events = new List<AlertBoardChangedEventArgs>();
        board.Changed += (_, e) => events.Add(e);

        var outcome = board.Report(AlertSamples.Report());

        Assert.Equal(AlertChangeKind.Raised, outcome.Kind);
        Assert.Equal(_time.GetUtcNow(), outcome.Alert.RaisedAt);
        var e = Assert.Single(events);
        Assert.Equal(AlertChangeKind.Raised, e.Kind);
        Assert.Null(e.Previous);
        Assert.Equal(1, e.Version);
        Assert.Same(outcome.Alert, Assert.Single(board.Current));
    }

    [Fact]
    public void Report_SameCauseManyTimes_OneAlertWithCountAndLastSeen()
    {
        var board = NewBoard();
        for (int i = 0; i < 50; i++)
        {
            board.Report(AlertSamples.Report(minute: i));
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        var alert = Assert.Single(board.Current);
        Assert.Equal(50, alert.Count);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(30), alert.LastSeenAt);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(30 * 50), alert.RaisedAt);
        Assert.Equal(AlertSamples.FlightStart, alert.FirstEvidence.WindowStart);
        Assert.Equal(AlertSamples.FlightStart.AddMinutes(49), alert.Evidence.WindowStart);
    }

    [Fact]
    public void Report_RepeatWhileAcknowledged_StaysAcknowledged()
    {
        var board = NewBoard();
        var raised = board.Report(AlertSamples.Report()).Alert;
        board.Acknowledge(raised.Id, "gate panel", AcknowledgeChannel.Button);

        var outcome = board.Report(AlertSamples.Report(minute: 5));

        Assert.Equal(AlertChangeKind.Repeated, outcome.Kind);
        Assert.Equal(AlertState.Acknowledged, outcome.Alert.State);
        Assert.Null(board.MostSevereUnacknowledgedCrewAlert);
    }

    [Fact]
    public void Report_EscalationWhileAcknowledged_EscalatedAndUnacknowledged()
    {
        var board = NewBoard();
        var raised = board.Report(AlertSamples.Report(AlertSeverity.Caution)).Alert;
        board.Acknowledge(raised.Id, "gate panel", AcknowledgeChannel.Button);

        var outcome = board.Report(AlertSamples.Report(AlertSeverity.Warning));

        Assert.Equal(AlertChangeKind.Escalated, outcome.Kind);
        Assert.Same(outcome.Alert, board.MostSevereUnacknowledgedCrewAlert);
    }

    [Fact]
    public void Report_WithinHoldOffAfterClear_SuppressedAndCounted()
    {
        var board = NewBoard(TimeSpan.FromMinutes(10));
        var raised = board.Report(AlertSamples.Report()).Alert;
        board.Acknowledge(raised.Id, "crew", AcknowledgeChannel.CrewPage);
        board.Clear(raised.Id, "maintenance");
        _time.Advance(TimeSpan.FromMinutes(9));

        var outcome = board.Report(AlertSamples.Report(minute: 20));

        Assert.Equal(AlertChangeKind.Suppressed, outcome.Kind);
        Assert.Equal(AlertState.Cleared, outcome.Alert.State);
        Assert.Equal(1, outcome.Alert.SuppressedCount);
        Assert.Empty(board.Current);
    }

    [Fact]
    public void Report_AfterHoldOff_NewOccurrenceSameId()
    {
        var board = NewBoard(TimeSpan.FromMinutes(10));
        var first = board.Report(AlertSamples.Report()).Alert;
        board.Acknowledge(first.Id, "crew", AcknowledgeChannel.CrewPage);
        board.Clear(first.Id, "maintenance");
        _time.Advance(TimeSpan.FromMinutes(10));

        var outcome = board.Report(AlertSamples.Report(minute: 30));

        Assert.Equal(AlertChangeKind.Raised, outcome.Kind);
        Assert.Equal(first.Id, outcome.Alert.Id);
        Assert.NotEqual(first.OccurrenceId, outcome.Alert.OccurrenceId);
        Assert.Equal(1, outcome.Alert.Count);
        Assert.Equal(AlertState.Raised, outcome.Alert.State);
    }

    [Fact]
    public void Report_ZeroHoldOff_ReRaisesAtOnce()
    {
        var board = NewBoard(TimeSpan.Zero);
        var first = board.Report(AlertSamples.Report()).Alert;
        board.Acknowledge(first.Id, "crew", AcknowledgeChannel.CrewPage);
        board.Clear(first.Id, "maintenance");

        Assert.Equal(AlertChangeKind.Raised, board.Report(AlertSamples.Report()).Kind);
    }

    [Fact]
    public void Current_MixedAlerts_SeverityThenRaiseTime()
    {
        var board = NewBoard();
        var caution1 = board.Report(AlertSamples.Report(AlertSeverity.Caution, AlertSamples.Cause(kind: "a"))).Alert;
        _time.Advance(TimeSpan.FromSeconds(1));
        var advisory = board.Report(AlertSamples.Report(AlertSeverity.Advisory, AlertSamples.Cause(kind: "b"))).Alert;
        _time.Advance(TimeSpan.FromSeconds(1));
        var warning = board.Report(AlertSamples.Report(AlertSeverity.Warning, AlertSamples.Cause(kind: "c"))).Alert;
        _time.Advance(TimeSpan.FromSeconds(1));
        var caution2 = board.Report(AlertSamples.Report(AlertSeverity.Caution, AlertSamples.Cause(kind: "d"))).Alert;

        Assert.Equal([warning.Id, caution1.Id, caution2.Id, advisory.Id], board.Current.Select(a => a.Id));
    }

    [Fact]
    public void MostSevereUnacknowledgedCrewAlert_SkipsMaintenanceOnlyAndAcknowledged()
    {
        var board = NewBoard();
        board.Report(AlertSamples.Report(AlertSeverity.Warning, AlertSamples.Cause(AlertSource.Drift, kind: "PSI")));
        var warning = board.Report(AlertSamples.Report(AlertSeverity.Warning, AlertSamples.Cause(kind: "w"))).Alert;
        var caution = board.Report(AlertSamples.Report(AlertSeverity.Caution, AlertSamples.Cause(kind: "c"))).Alert;

        Assert.Equal(warning.Id, board.MostSevereUnacknowledgedCrewAlert!.Id);
        Assert.Equal(2, board.UnacknowledgedCrewCount);

        board.Acknowledge(warning.Id, "crew", AcknowledgeChannel.CrewPage);

        Assert.Equal(caution.Id, board.MostSevereUnacknowledgedCrewAlert!.Id);
        Assert.Equal(1, board.UnacknowledgedCrewCount);
    }

    [Fact]
    public void AcknowledgeMostSevere_TwoAlerts_WarningFirstThenCautionThenNull()
    {
        var board = NewBoard();
        var caution = board.Report(AlertSamples.Report(AlertSeverity.Caution, AlertSamples.Cause(kind: "c"))).Alert;
        var warning = board.Report(AlertSamples.Report(AlertSeverity.Warning, AlertSamples.Cause(kind: "w"))).Alert;

        Assert.Equal(warning.Id, board.AcknowledgeMostSevere("gate panel", AcknowledgeChannel.Button)!.Id);
        var second = board.AcknowledgeMostSevere("gate panel", AcknowledgeChannel.Button)!;
        Assert.Equal(caution.Id, second.Id);
        Assert.Equal(new AlertAcknowledgement("gate panel", AcknowledgeChannel.Button, _time.GetUtcNow()), second.Acknowledgement);
        Assert.Null(board.AcknowledgeMostSevere("gate panel", AcknowledgeChannel.Button));
    }

    [Fact]
    public void Clear_Unacknowledged_RejectedAndBoardUnchanged()
    {
        var board = NewBoard();
        var raised = board.Report(AlertSamples.Report()).Alert;
        long version = board.Version;

        Assert.Throws<AlertStateException>(() => board.Clear(raised.Id, "maintenance"));

        Assert.Equal(version, board.Version);
        Assert.Same(raised, Assert.Single(board.Current));
    }

    [Fact]
    public void Acknowledge_UnknownId_KeyNotFound()
    {
        var board = NewBoard();

        var e = Assert.Throws<KeyNotFoundException>(() => board.Acknowledge("exc-0000000000000000", "crew", AcknowledgeChannel.CrewPage));

        Assert.Contains("exc-0000000000000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acknowledge_Cleared_StateError()
    {
        var board = NewBoard();
        var raised = board.Report(AlertSamples.Report()).Alert;
        board.Acknowledge(raised.Id, "crew", AcknowledgeChannel.CrewPage);
        board.Clear(raised.Id, "maintenance");

        var e = Assert.Throws<AlertStateException>(() => board.Acknowledge(raised.Id, "crew", AcknowledgeChannel.CrewPage));

        Assert.Equal(AlertState.Cleared, e.From);
        Assert.True(board.TryGet(raised.Id, out var cleared));
        Assert.Equal(AlertState.Cleared, cleared!.State);
        Assert.Single(board.GetRecentlyCleared());
    }

    [Fact]
    public void Changed_HandlerThrows_CountedAndOthersStillCalled()
    {
        var board = NewBoard();
        int calls = 0;
        board.Changed += (_, _) => throw new InvalidOperationException("subscriber broke");
        board.Changed += (_, _) => calls++;

        board.Report(AlertSamples.Report());

        Assert.Equal(1, calls);
        Assert.Equal(1, board.SubscriberFailures);
        Assert.Equal("subscriber broke", board.LastSubscriberFailure!.Message);
        Assert.Single(board.Current);
    }

    [Fact]
    public void Report_ManyThreads_CountsExactAndEventsInVersionOrder()
    {
        var board = NewBoard();
        var versions = new List<long>();
        board.Changed += (_, e) => versions.Add(e.Version); // delivered under the board's lock: no race on the list
        const int Threads = 4;
        const int PerThread = 500;

        Parallel.For(0, Threads, t =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                board.Report(AlertSamples.Report(cause: AlertSamples.Cause(kind: "k" + (i % 5))));
            }
        });

        Assert.Equal(5, board.Current.Length);
        Assert.Equal(Threads * PerThread, board.Current.Sum(a => a.Count));
        Assert.Equal(Enumerable.Range(1, Threads * PerThread).Select(v => (long)v), versions);
    }

    [Fact]
    public void Ctor_NegativeHoldOff_RejectedNamingSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AlertBoard(_time, new AlertBoardOptions { ReRaiseHoldOff = TimeSpan.FromSeconds(-1) }));

        Assert.Equal("ReRaiseHoldOff", e.ParamName);
    }
}
