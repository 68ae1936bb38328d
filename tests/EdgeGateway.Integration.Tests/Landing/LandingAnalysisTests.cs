using System.Text;
using EdgeGateway.Bus;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Integration.Tests.Inference;
using EdgeGateway.Landing;
using EdgeGateway.Simulator.Cli;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Integration.Tests.Landing;

/// <summary>Live raising: alerts decided during the landing carry the cause and time the end of the landing reports.</summary>
public sealed class LandingAnalysisTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RaiseLive_EgtAboveRedLineHeld_RaisedBeforeCompleteWithItsCauseAndTime()
    {
        var frames = EgtExceedanceFlight.Frames();
        var table = EgtExceedanceFlight.Table();
        using var setup = EgtExceedanceFlight.Setup();
        using var analysis = new LandingAnalysis(table, setup, LandingProcessor.DefaultConditionedPeriod);
        using var processor = new LandingProcessor(table, sink: analysis);
        var live = new List<(int Frames, DateTimeOffset At, AlertReport Report)>();
        int processed = 0;
        analysis.RaiseLive(processor, s_start, (at, r) => live.Add((processed, at, r)));

        foreach (var batch in frames.Chunk(3))
        {
            processor.Process(batch);
            processed += batch.Length;
            processor.Flush();
        }

        var raised = Assert.Single(live);
        Assert.True(raised.Frames < frames.Length, $"raised after {raised.Frames} of {frames.Length} frames");
        Assert.Equal(AlertSource.Exceedance, raised.Report.Cause.Source);
        Assert.Equal("EGT red line", raised.Report.Cause.Kind);
        Assert.Equal(AlertSeverity.Warning, raised.Report.Severity);

        var summary = analysis.Complete(processor.Complete(new FlightIdentity("D-TEST", "A320", "T1", s_start), default), processor.ClockFor(s_start));

        Assert.Single(live);
        var end = Assert.Single(analysis.Reports, r => r.Report.Cause.Source == AlertSource.Exceedance);
        Assert.Equal(end.Report.Cause.Id, raised.Report.Cause.Id);
        Assert.Equal(end.At, raised.At);
        var exceedance = Assert.Single(summary.Exceedances);
        Assert.Equal(exceedance.StartUtc, raised.Report.Evidence.WindowStart);
        Assert.True(exceedance.DurationSeconds > raised.Report.Evidence.WindowEnd.Subtract(raised.Report.Evidence.WindowStart).TotalSeconds);
    }

    [Fact]
    public void RaiseLive_EndOfLandingReportsOnTheSameBoard_OneAlertUpdated()
    {
        var frames = EgtExceedanceFlight.Frames();
        var table = EgtExceedanceFlight.Table();
        using var setup = EgtExceedanceFlight.Setup();
        var board = new AlertBoard(new FakeTimeProvider(s_start));
        using var analysis = new LandingAnalysis(table, setup, LandingProcessor.DefaultConditionedPeriod);
        using var processor = new LandingProcessor(table, sink: analysis);
        analysis.RaiseLive(processor, s_start, (_, r) => board.Report(r));
        foreach (var batch in frames.Chunk(8))
        {
            processor.Process(batch);
            processor.Flush();
        }

        var before = Assert.Single(board.Current);
        Assert.Equal(AlertState.Raised, before.State);
        analysis.Complete(processor.Complete(new FlightIdentity("D-TEST", "A320", "T1", s_start), default), processor.ClockFor(s_start));
        foreach (var (_, report) in analysis.Reports)
        {
            board.Report(report);
        }

        var after = Assert.Single(board.Current, a => a.Source == AlertSource.Exceedance);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.OccurrenceId, after.OccurrenceId);
        Assert.Equal(2, after.Count);
        Assert.Contains("for 9 s", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Flush_FaultyFlightFedInSmallReads_SummaryEqualsReplayAndLiveRaisesMatchTheEnd()
    {
        using var dir = new TempDir();
        Assert.Equal(0, SimulatorCli.Run(
            ["flight", "--hours", "0.6", "--seed", "31", "--fault", "bearing-wear:2:10m", "--fault", "sensor-stuck:1:5m:EGT", "--table", RepoPaths.A320Table, "--quiet", "--out", dir.File("f.cap")],
            TextWriter.Null,
            TextWriter.Null));
        var table = EgtExceedanceFlight.Table();
        var paths = new AnalysisPaths { Models = ReplayAnalysisTests.SignedAnomaly(dir), TrustedKeys = dir.File("keys") };
        FlightSummary replay;
        using (var setup = paths.Build(table))
        {
            Assert.False(setup.Models!.Degraded, setup.Models.StatusLine);
            replay = CaptureReplay.Run(dir.File("f.cap"), table, setup).Summary;
        }

        // The live path: small reads, each flushed through conditioning, alerts raised as decided.
        using var liveSetup = paths.Build(table);
        using var reader = CaptureReader.Open(dir.File("f.cap"));
        var h = reader.Header;
        using var analysis = new LandingAnalysis(table, liveSetup, LandingProcessor.DefaultConditionedPeriod);
        using var processor = new LandingProcessor(table, sink: analysis);
        var live = new List<(DateTimeOffset At, AlertReport Report)>();
        analysis.RaiseLive(processor, h.RecordingStartUtc, (at, r) => live.Add((at, r)));
        var buffer = new AdapterFrame[97];
        int n;
        while ((n = reader.Read(buffer)) > 0)
        {
            processor.Process(buffer.AsSpan(0, n));
            processor.Flush();
            analysis.Flush();
        }

        int raisedBeforeEnd = live.Count;
        var summary = analysis.Complete(
            processor.Complete(new FlightIdentity(h.TailNumber, h.AircraftType, h.FlightId, h.RecordingStartUtc), reader.Stats),
            processor.ClockFor(h.RecordingStartUtc));

        Assert.Equal(Encoding.UTF8.GetString(FlightSummaryJson.ToUtf8(replay)), Encoding.UTF8.GetString(FlightSummaryJson.ToUtf8(summary)));
        Assert.Contains(live.Take(raisedBeforeEnd), r => r.Report.Cause.Source == AlertSource.AnomalyEpisode && r.Report.Cause.EnginePosition == 2);
        Assert.Contains(live.Take(raisedBeforeEnd), r => r.Report.Cause.Source == AlertSource.DataQuality && r.Report.Cause.Kind == "stuck" && r.Report.Cause.Parameter == "EGT");

        // Every live raise is a finding the end of the landing reports, under the same id at the same time;
        // every end report of a kind decided live was raised live.
        var endReports = analysis.Reports.ToLookup(r => r.Report.Cause.Id);
        foreach (var (at, report) in live)
        {
            Assert.Contains(endReports[report.Cause.Id], e => e.At == at);
        }

        var liveIds = live.Select(r => r.Report.Cause.Id).ToHashSet();
        Assert.All(
            analysis.Reports.Where(r => r.Report.Cause.Source is AlertSource.Exceedance or AlertSource.AnomalyEpisode || r.Report.Cause.Kind == "stuck"),
            r => Assert.Contains(r.Report.Cause.Id, liveIds));
    }
}
