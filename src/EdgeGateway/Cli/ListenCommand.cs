using System.Globalization;
using EdgeGateway.Bus;
using EdgeGateway.Core.Alerts;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Core.Summaries;
using EdgeGateway.Landing;

namespace EdgeGateway.Cli;

/// <summary>
/// <c>listen --serial PORT [--baud N] [--silence SECONDS] [--tail T] [--flight F] [--table FILE] [--summary-out FILE]</c>:
/// receives one landing live from the serial adapter, prints each alert the moment the gateway
/// decides it (as the crew annunciator would light it: exceedances held past their time, anomaly
/// episodes, stuck sensors), and summarises the landing when the bus falls silent.
/// </summary>
internal static class ListenCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var serial = new SerialFrameSourceOptions();
        string tablePath = DefaultPaths.LabelTable;
        string? summaryOut = null;
        string tail = "UNKNOWN", flight = "UNKNOWN";
        var silence = TimeSpan.FromSeconds(3);
        var paths = new AnalysisPaths();
        for (int i = 0; i < args.Length; i++)
        {
            if (paths.TryParse(args, ref i))
            {
                continue;
            }

            string? next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--serial" when next is not null: serial.PortName = next; i++; break;
                case "--baud" when next is not null && int.TryParse(next, CultureInfo.InvariantCulture, out int baud): serial.BaudRate = baud; i++; break;
                case "--silence" when next is not null && double.TryParse(next, CultureInfo.InvariantCulture, out double s) && s > 0: silence = TimeSpan.FromSeconds(s); i++; break;
                case "--tail" when next is not null: tail = next; i++; break;
                case "--flight" when next is not null: flight = next; i++; break;
                case "--table" when next is not null: tablePath = next; i++; break;
                case "--summary-out" when next is not null: summaryOut = next; i++; break;
                default:
                    error.WriteLine($"listen: unknown, incomplete or invalid option '{args[i]}'");
                    error.WriteLine(CommandLine.Usage);
                    return ExitCodes.Usage;
            }
        }

        var problems = serial.Validate();
        if (problems.Count > 0)
        {
            foreach (string p in problems)
            {
                error.WriteLine($"listen: {p}");
            }

            return ExitCodes.Config;
        }

        if (!CommandSetup.TryLoadTable(tablePath, error, out var table) || !CommandSetup.TryBuildAnalysis("listen", paths, table, error, out var setup))
        {
            return ExitCodes.Config;
        }

        using var _ = setup;
        using var analysis = new LandingAnalysis(table, setup, LandingProcessor.DefaultConditionedPeriod);
        using var processor = new LandingProcessor(table, sink: analysis);
        var buffer = new AdapterFrame[CaptureReplay.BatchFrames];
        DateTimeOffset? start = null;
        await using var source = new SerialFrameSource(serial);
        output.WriteLine($"listening on {serial.PortName}; the landing ends after {silence.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s of silence");
        while (true)
        {
            // The bus going quiet for the silence timeout ends the landing.
            using var quiet = new CancellationTokenSource(start is null ? Timeout.InfiniteTimeSpan : silence);
            int n;
            try
            {
                n = await source.ReadAsync(buffer, quiet.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (start is null)
            {
                start = TimeProvider.System.GetUtcNow();
                analysis.RaiseLive(processor, start.Value, (at, report) => output.WriteLine(LiveLine(at, report)));
            }

            processor.Process(buffer.AsSpan(0, n));

            // Live: conditioned and checked now, as the service does, so an alert is printed when it is decided.
            processor.Flush();
            analysis.Flush();
        }

        var summary = processor.Complete(new FlightIdentity(tail, table.Info.AircraftType, flight, start!.Value), source.Stats);
        summary = analysis.Complete(summary, processor.ClockFor(start.Value));
        SummaryPrinter.Print(summary, output);
        AnalysisPrinter.Print(summary, output);
        if (summaryOut is not null)
        {
            File.WriteAllBytes(summaryOut, FlightSummaryJson.ToUtf8(summary));
            output.WriteLine($"summary written to {summaryOut}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>One printed line per alert raised during the landing (data time of the deciding grid point).</summary>
    internal static string LiveLine(DateTimeOffset at, AlertReport report)
    {
        string who = (report.Audience ?? report.Cause.DefaultAudience) == AlertAudience.Crew ? string.Empty : " [maintenance only]";
        return string.Create(CultureInfo.InvariantCulture, $"ALERT {at:HH:mm:ss}Z  {report.Severity.ToString().ToUpperInvariant(),-8} ENG{report.Cause.EnginePosition}  {report.Text}{who}  ({report.Cause.Id})");
    }
}
