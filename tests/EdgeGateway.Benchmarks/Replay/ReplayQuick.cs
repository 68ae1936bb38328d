using System.Diagnostics;
using System.Globalization;
using EdgeGateway.Benchmarks.Infrastructure;
using EdgeGateway.Landing;

namespace EdgeGateway.Benchmarks.Replay;

/// <summary>
/// Quick replay figures: words per second on one core for a 14-hour capture, managed allocation
/// per word, and the peak resident memory of a separate <c>edgegateway replay</c> process for the
/// 14-hour capture and one four times longer (peak memory must not grow with the length).
/// </summary>
public sealed class ReplayQuick : IQuickBenchmark
{
    public IEnumerable<QuickResult> Run()
    {
        string cap14 = ReplayCaptures.Get(14);
        string cap56 = ReplayCaptures.Get(56);
        var table = ReplayCaptures.Table;
        CaptureReplay.Run(cap14, table); // warm-up: JIT, file cache

        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        var result = CaptureReplay.Run(cap14, table);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long words = result.Summary.Words;

        var extra = new Dictionary<string, double>
        {
            ["words"] = words,
            ["seconds"] = seconds,
            ["allocatedBytesPerReplay"] = allocated,
            ["peakRssMiB14h"] = ChildPeakMiB(cap14),
            ["peakRssMiB56h"] = ChildPeakMiB(cap56),
        };
        // The frame layer alone (read and checksum every frame, no decoding), to show where time goes.
        long readStart = Stopwatch.GetTimestamp();
        long frames = 0;
        using (var reader = EdgeGateway.Bus.CaptureReader.Open(cap14))
        {
            var buffer = new EdgeGateway.Bus.AdapterFrame[CaptureReplay.BatchFrames];
            int n;
            while ((n = reader.Read(buffer)) > 0)
            {
                frames += n;
            }
        }

        double readSeconds = Stopwatch.GetElapsedTime(readStart).TotalSeconds;
        yield return new QuickResult("replay/14h-frames-only", "wordsPerSecond", frames / readSeconds, 0);

        // Decode, validate and summarise without the conditioning chain, to show its share.
        long decodeStart = Stopwatch.GetTimestamp();
        using (var reader = EdgeGateway.Bus.CaptureReader.Open(cap14))
        {
            var builder = new EdgeGateway.Core.Summaries.FlightSummaryBuilder(table);
            var buffer = new EdgeGateway.Bus.AdapterFrame[CaptureReplay.BatchFrames];
            int n;
            while ((n = reader.Read(buffer)) > 0)
            {
                foreach (ref readonly var f in buffer.AsSpan(0, n))
                {
                    builder.Add(f.TimestampMicros, f.Word);
                }
            }
        }

        double decodeSeconds = Stopwatch.GetElapsedTime(decodeStart).TotalSeconds;
        yield return new QuickResult("replay/14h-decode-validate-summarise", "wordsPerSecond", frames / decodeSeconds, 0);
        yield return new QuickResult("replay/14h-two-engines", "wordsPerSecond", words / seconds, (double)allocated / words, extra);
    }

    /// <summary>Runs <c>edgegateway replay</c> as a child process and reads the peak RSS it reports.</summary>
    private static double ChildPeakMiB(string capture)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "edgegateway.dll");
        var psi = new ProcessStartInfo("dotnet", ["exec", dll, "replay", capture, "--table", ReplayCaptures.TablePath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        // "... peak RSS 45 MiB"
        int at = err.LastIndexOf("peak RSS ", StringComparison.Ordinal);
        return at < 0 ? double.NaN : double.Parse(err[(at + 9)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
