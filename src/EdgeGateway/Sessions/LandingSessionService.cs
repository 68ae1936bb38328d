using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Hosting;
using EdgeGateway.Landing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Sessions;

/// <summary>
/// Runs landing sessions on the configured word source: every frame is recorded to the session's
/// capture and fed to the <see cref="LandingProcessor"/>; silence ends the session, whose summary
/// goes to every <see cref="ILandingReporter"/>. At start-up, sessions cut by a restart are closed
/// from their recordings with a note, so no landing is lost.
/// </summary>
/// <remarks>
/// Alerts are decided during the landing: after each batch read from the adapter the processor
/// pushes what it holds through conditioning (<see cref="LandingProcessor.Flush"/>), and the
/// analysis reports exceedances, anomaly episodes and stuck sensors to the <see cref="Core.Alerts.AlertBoard"/>
/// the moment they are decided, so the crew panel lights during the landing. At the end every
/// finding is reported again with its final evidence; the board folds it into the alert already raised.
/// </remarks>
public sealed partial class LandingSessionService(
    LabelTable table,
    Func<IFrameSource> sourceFactory,
    SessionJournal journal,
    IEnumerable<ILandingReporter> reporters,
    IOptions<GatewayOptions> gateway,
    IOptions<BusOptions> bus,
    PipelineHealth health,
    SignalRecorder signals,
    AnalysisSetup analysisSetup,
    Core.Alerts.AlertBoard board,
    TimeProvider time,
    ILogger<LandingSessionService> logger) : BackgroundService
{
    private static readonly TimeSpan s_captureFlushInterval = TimeSpan.FromSeconds(1);

    // While idle the loop wakes this often to show it is alive (watchdog, health check).
    private static readonly TimeSpan s_idleBeat = TimeSpan.FromSeconds(1);

    private readonly ILandingReporter[] _reporters = [.. reporters];
    private volatile SessionRecord? _current;

    /// <summary>The session in progress, or null when idle.</summary>
    public SessionRecord? Current => _current;

    /// <summary>Current state.</summary>
    public LandingState State => _current?.State ?? LandingState.Idle;

    /// <summary>Sessions reported since start.</summary>
    public int SessionsReported { get; private set; }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
        await using var pump = new FramePump(sourceFactory());
        while (!stoppingToken.IsCancellationRequested)
        {
            health.Beat();
            var (ok, frames, count) = await pump.TryReadAsync(s_idleBeat, stoppingToken);
            if (ok)
            {
                await RunSessionAsync(pump, frames, count, stoppingToken);
            }
        }
    }

    private async Task RunSessionAsync(FramePump pump, AdapterFrame[] firstFrames, int firstCount, CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow();
        var statsAtStart = pump.Stats;
        string tail = gateway.Value.Tail;
        string id = $"{started.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{tail}";
        var record = new SessionRecord(id, LandingState.Receiving, started, tail);
        journal.Save(record);
        _current = record;
        Log.SessionStarted(logger, id, tail);

        var header = new CaptureHeader(tail, table.Info.AircraftType, id, table.Info.Name, table.Info.Sha256, bus.Value.Source.ToString(), "live", started);
        signals.Reset();
        using var analysis = new LandingAnalysis(table, analysisSetup, LandingProcessor.DefaultConditionedPeriod);
        using var processor = new LandingProcessor(table, sink: new CompositeConditionedSink(signals, analysis));
        analysis.RaiseLive(processor, started, (at, report) => RaiseLive(id, at, report));
        string? endNote = null;
        long sessionStart = time.GetTimestamp();
        await using (var capture = CaptureWriter.Create(journal.CapturePath(id), header))
        {
            long lastFlush = time.GetTimestamp();
            var (frames, n) = (firstFrames, firstCount);
            while (true)
            {
                capture.Write(frames.AsSpan(0, n));
                signals.RecordRaw(frames.AsSpan(0, n));
                processor.Process(frames.AsSpan(0, n));
                FramePump.Return(frames);

                // Live: what the adapter delivered is conditioned and checked now, not when a
                // channel's batch fills (replay batches instead; the output is the same).
                processor.Flush();
                analysis.Flush();
                health.Beat();
                if (time.GetElapsedTime(lastFlush) >= s_captureFlushInterval)
                {
                    capture.Flush();
                    lastFlush = time.GetTimestamp();
                }

                if (time.GetElapsedTime(sessionStart) >= bus.Value.MaxSessionDuration)
                {
                    endNote = $"session closed after the maximum duration of {bus.Value.MaxSessionDuration}";
                    break;
                }

                bool ok;
                try
                {
                    (ok, frames, n) = await pump.TryReadAsync(bus.Value.SilenceTimeout, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down mid-landing: the journal still says Receiving, so the next
                    // start closes this session from its recording.
                    capture.Flush();
                    throw;
                }

                if (!ok)
                {
                    break; // the bus went silent: the aircraft is done talking
                }
            }
        }

        record = record with { State = LandingState.Processing, Note = endNote };
        journal.Save(record);
        _current = record;
        var summary = processor.Complete(new FlightIdentity(tail, table.Info.AircraftType, id, started), Since(statsAtStart, pump.Stats));
        summary = analysis.Complete(summary, processor.ClockFor(started));

        // The crew sees the landing's alerts on the panel, the page and the API; the board folds repeats.
        foreach (var (_, report) in analysis.Reports)
        {
            board.Report(report);
        }

        if (endNote is not null)
        {
            summary = summary with { Notes = [endNote] };
        }

        await ReportAsync(record, summary, stoppingToken);
    }

    private void RaiseLive(string sessionId, DateTimeOffset at, Core.Alerts.AlertReport report)
    {
        var outcome = board.Report(report);
        Log.AlertRaisedLive(logger, sessionId, outcome.Alert.Id, outcome.Kind, at);
    }

    /// <summary>Closes sessions a restart cut short, from their recordings.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var records = journal.Load(out var problems);
        foreach (var r in records)
        {
            if (r.State is LandingState.Reported or LandingState.Idle)
            {
                continue;
            }

            string note = $"session {r.Id} was cut by a gateway restart while {r.State.ToString().ToLowerInvariant()}; summary built from its recording";
            FlightSummary summary;
            string capture = journal.CapturePath(r.Id);
            if (File.Exists(capture))
            {
                try
                {
                    summary = CaptureReplay.Run(capture, table, analysisSetup).Summary;
                }
                catch (InvalidDataException e)
                {
                    note += $"; the recording is unreadable ({e.Message})";
                    summary = EmptySummary(r);
                }
            }
            else
            {
                note += "; the recording is missing";
                summary = EmptySummary(r);
            }

            Log.SessionRecovered(logger, r.Id, r.State.ToString());
            await ReportAsync(r with { Note = note }, summary with { Notes = [.. summary.Notes, note] }, cancellationToken);
        }

        foreach (string p in problems)
        {
            Log.JournalEntryUnreadable(logger, p);
        }
    }

    /// <summary>The source outlives sessions: a session's frame counters are the difference.</summary>
    private static FrameReaderStats Since(FrameReaderStats start, FrameReaderStats end) => end with
    {
        GoodFrames = end.GoodFrames - start.GoodFrames,
        BadByteRuns = end.BadByteRuns - start.BadByteRuns,
        BadBytes = end.BadBytes - start.BadBytes,
        ChecksumFailures = end.ChecksumFailures - start.ChecksumFailures,
        Reconnects = end.Reconnects - start.Reconnects,
        BytesLostOnDisconnect = end.BytesLostOnDisconnect - start.BytesLostOnDisconnect,
    };

    private FlightSummary EmptySummary(SessionRecord r)
    {
        using var p = new LandingProcessor(table);
        return p.Complete(new FlightIdentity(r.Tail, table.Info.AircraftType, r.Id, r.StartedUtc), default);
    }

    private async Task ReportAsync(SessionRecord record, FlightSummary summary, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(journal.SummaryPath(record.Id), FlightSummaryJson.ToUtf8(summary), cancellationToken);
        foreach (var r in _reporters)
        {
            await r.ReportAsync(record.Id, summary, cancellationToken);
        }

        journal.Save(record with { State = LandingState.Reported });
        _current = null;
        SessionsReported++;
        Log.SessionReported(logger, record.Id, summary.Words);
        journal.Prune(gateway.Value.KeepSessions);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Landing session {SessionId} started (tail {Tail})")]
        public static partial void SessionStarted(ILogger logger, string sessionId, string tail);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Landing session {SessionId} reported ({Words} words)")]
        public static partial void SessionReported(ILogger logger, string sessionId, long words);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Landing session {SessionId} was cut by a restart while {State}; closing it from its recording")]
        public static partial void SessionRecovered(ILogger logger, string sessionId, string state);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Session journal entry unreadable, left in place: {Problem}")]
        public static partial void JournalEntryUnreadable(ILogger logger, string problem);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Landing session {SessionId}: alert {AlertId} {Change} live (data time {DataTime:O})")]
        public static partial void AlertRaisedLive(ILogger logger, string sessionId, string alertId, Core.Alerts.AlertChangeKind change, DateTimeOffset dataTime);
    }
}
