using System.Globalization;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Landing;

namespace EdgeGateway.Cli;

/// <summary>
/// <c>replay &lt;capture&gt; [--summary-out FILE] [--conditioned-out CSV] [--table FILE] [--models DIR] [--trusted-keys DIR] [--limits DIR] [--history FILE]</c>:
/// decodes, validates, conditions and summarises a recorded landing, checks it for exceedances and
/// runs it through the model packages; prints the summary and the alerts a crew would have seen, and
/// writes the summary as JSON.
/// </summary>
internal static class ReplayCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? capture = null, summaryOut = null, conditionedOut = null;
        string tablePath = DefaultPaths.LabelTable;
        var paths = new AnalysisPaths();
        for (int i = 0; i < args.Length; i++)
        {
            if (paths.TryParse(args, ref i))
            {
                continue;
            }

            switch (args[i])
            {
                case "--summary-out" when i + 1 < args.Length:
                    summaryOut = args[++i];
                    break;
                case "--conditioned-out" when i + 1 < args.Length:
                    conditionedOut = args[++i];
                    break;
                case "--table" when i + 1 < args.Length:
                    tablePath = args[++i];
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    error.WriteLine($"replay: unknown or incomplete option '{a}'");
                    error.WriteLine(CommandLine.Usage);
                    return ExitCodes.Usage;
                default:
                    if (capture is not null)
                    {
                        error.WriteLine($"replay: one capture at a time ('{capture}' and '{args[i]}' given)");
                        return ExitCodes.Usage;
                    }

                    capture = args[i];
                    break;
            }
        }

        if (capture is null)
        {
            error.WriteLine(CommandLine.Usage);
            return ExitCodes.Usage;
        }

        if (!CommandSetup.TryLoadTable(tablePath, error, out var table) || !CommandSetup.TryBuildAnalysis("replay", paths, table, error, out var setup))
        {
            return ExitCodes.Config;
        }

        using var _ = setup;

        ReplayResult result;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            result = CaptureReplay.Run(capture, table, setup);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"replay: {capture}: {e.Message}");
            return ExitCodes.Failure;
        }

        foreach (string w in result.Warnings)
        {
            error.WriteLine($"warning: {w}");
        }

        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        SummaryPrinter.Print(result.Summary, output);
        AnalysisPrinter.Print(result.Summary, output);
        if (summaryOut is not null)
        {
            File.WriteAllBytes(summaryOut, FlightSummaryJson.ToUtf8(result.Summary));
            output.WriteLine($"summary written to {summaryOut}");
        }

        if (conditionedOut is not null)
        {
            int rows = ConditionedExport.Run(capture, table, conditionedOut);
            output.WriteLine($"conditioned grid written to {conditionedOut} ({rows} rows)");
        }

        // Throughput and memory go to stderr: they vary run to run, the summary does not.
        long? peak = PeakMemory.PeakResidentBytes();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay: {result.Summary.Words} words in {elapsed.TotalSeconds:0.000} s ({result.Summary.Words / Math.Max(elapsed.TotalSeconds, 1e-9):0} words/s), peak RSS {(peak is null ? "n/a" : $"{peak.Value / (1024 * 1024)} MiB")}"));

        foreach (var p in setup.Models!.Statuses.Where(p => !p.Loaded))
        {
            error.WriteLine($"warning: model package {p.Folder}: {p.Message}");
        }

        return ExitCodes.Ok;
    }
}

/// <summary>Prints a flight summary as plain text for a person at a terminal.</summary>
internal static class SummaryPrinter
{
    public static void Print(FlightSummary s, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(ci, $"Flight {s.FlightId}  {s.Tail}  {s.AircraftType}  start {s.StartUtc:yyyy-MM-dd HH:mm:ss}Z  duration {TimeSpan.FromSeconds(Math.Round(s.DurationSeconds)):c}  words {s.Words:N0}"));
        o.WriteLine($"Label table {s.LabelTable.Name} ({s.LabelTable.Sha256[..12]})");
        foreach (var e in s.Engines)
        {
            o.WriteLine();
            o.WriteLine($"ENG{e.Position}  serial {e.Serial ?? "(not received)"}");
            o.WriteLine(string.Create(ci, $"  {"parameter",-16}{"unit",-7}{"count",10}{"min",10}{"max",10}{"mean",10}{"p95",10}{"spikes",8}"));
            foreach (var p in e.Parameters)
            {
                o.WriteLine(string.Create(ci, $"  {p.Parameter,-16}{p.Unit,-7}{p.Count,10}{Num(p.Min),10}{Num(p.Max),10}{Num(p.Mean),10}{Num(p.P95),10}{p.SpikesRemoved,8}"));
            }
        }

        var q = s.DataQuality;
        o.WriteLine();
        if (q.IsClean)
        {
            o.WriteLine("Data quality: clean");
            return;
        }

        o.WriteLine("Data quality:");
        Line(o, "bad byte runs", q.BadByteRuns, $"{q.BadBytes} bytes");
        Line(o, "checksum failures", q.ChecksumFailures);
        Line(o, "adapter overflows", q.AdapterOverflows);
        Line(o, "parity errors", q.ParityErrors);
        Line(o, "unknown label words", q.UnknownLabelWords, string.Join(", ", q.UnknownLabels));
        Line(o, "no computed data", q.NoComputedData);
        Line(o, "failure warnings", q.FailureWarnings);
        Line(o, "functional test", q.FunctionalTests);
        Line(o, "out of range", q.OutOfRange);
        Line(o, "malformed BCD", q.MalformedBcd);
        Line(o, "clock jumps", q.ClockJumps);
        Line(o, "stale events", q.StaleEvents);
        foreach (var g in q.Gaps)
        {
            o.WriteLine(string.Create(ci, $"  gap      {g.Channel}: {g.Count} gap(s), longest {g.LongestSeconds:0.0} s"));
        }

        if (q.MissingChannels.Count > 0)
        {
            o.WriteLine($"  missing  {string.Join(", ", q.MissingChannels)}");
        }

        if (q.Truncated)
        {
            o.WriteLine("  truncated: the recording ends mid-frame");
        }
    }

    private static void Line(TextWriter o, string what, long count, string detail = "")
    {
        if (count > 0)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-22}{count,10}  {detail}"));
        }
    }

    private static string Num(double? v) => v is null ? "-" : v.Value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Prints a landing's analysis: models, exceedances, episodes, RUL, drift notices and the alerts a crew would have seen.</summary>
internal static class AnalysisPrinter
{
    public static void Print(FlightSummary s, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        if (s.Models is not { } models)
        {
            return;
        }

        o.WriteLine();
        o.WriteLine($"Models: {models.Status}");
        o.WriteLine($"Exceedance limits: {models.ExceedanceLimits ?? "none for this engine type (exceedance checks off)"}");
        foreach (var x in s.Exceedances)
        {
            o.WriteLine(string.Create(ci, $"  exceedance ENG{x.EnginePosition} {x.Limit} ({x.Grade}): {x.StartUtc:HH:mm:ss}Z-{x.EndUtc:HH:mm:ss}Z {x.DurationSeconds:0} s, peak {x.Peak:0.##} {x.Unit} vs {x.Threshold:0.##}{(x.OpenAtEnd ? ", open at end" : "")}"));
        }

        foreach (var a in s.AnomalyScoring)
        {
            o.WriteLine(string.Create(ci, $"  anomaly ENG{a.EnginePosition} {a.Model}: {a.WindowsScored} windows scored ({a.WindowsWithStandIn} without the other engine, whose inputs had a gap), {a.WindowsSkipped} skipped (gaps), max score {(a.MaxScore is double m ? m.ToString("0.###", ci) : "-")} (threshold {a.Threshold:0.###})"));
        }

        foreach (var e in s.AnomalyEpisodes)
        {
            o.WriteLine(string.Create(ci, $"  episode ENG{e.EnginePosition} raised {e.RaisedUtc:HH:mm:ss}Z cleared {e.ClearedUtc:HH:mm:ss}Z{(e.OpenAtEnd ? " (open at end)" : "")} peak {e.PeakScore:0.###}: {string.Join(", ", e.Channels.Select(c => c.Channel))}{(e.RaisedAloneScore is double alone ? string.Create(ci, $" (alone {alone:0.###})") : "")}"));
        }

        foreach (var r in s.Rul)
        {
            o.WriteLine(string.Create(ci, $"  RUL ENG{r.EnginePosition} {r.Serial ?? "(no serial)"}: {(r.EstimateCycles is double c ? c.ToString("0.#", ci) + " cycles" : "-")} ({r.HistoryCycles} cycles of history{(r.SnapshotTaken ? ", snapshot added" : "")}; {r.Status})"));
        }

        foreach (var d in s.Drift.Where(d => d.Notice))
        {
            o.WriteLine(string.Create(ci, $"  drift notice ENG{d.EnginePosition} {d.Channel}: PSI {d.Psi:0.###}"));
        }

        o.WriteLine();
        if (s.Alerts.Count == 0)
        {
            o.WriteLine("Alerts: none");
            return;
        }

        o.WriteLine("Alerts a crew would have seen:");
        foreach (var a in s.Alerts)
        {
            string who = a.Audience == "Crew" ? string.Empty : " [maintenance only]";
            o.WriteLine(string.Create(ci, $"  {a.AtUtc:HH:mm:ss}Z  {a.Severity.ToUpperInvariant(),-8} ENG{a.EnginePosition}  {a.Text}{who}  ({a.Id})"));
        }
    }
}
