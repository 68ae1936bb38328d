using System.Diagnostics;
using EdgeGateway.Benchmarks.Infrastructure;
using EdgeGateway.Bus;

namespace EdgeGateway.Benchmarks.Bus;

/// <summary>
/// Quick mode for frame decode: words per second and managed bytes allocated per word in steady
/// state, decoding 4 Mi frames (64 MiB) held in memory, repeated for about a second per row.
/// </summary>
public sealed class FrameDecodeQuickBenchmark : IQuickBenchmark
{
    private const int FrameCount = 1 << 22;
    private static readonly TimeSpan s_runFor = TimeSpan.FromSeconds(1.5);

    /// <inheritdoc />
    public IEnumerable<QuickResult> Run()
    {
        var frames = BusBenchmarkData.Frames(FrameCount);
        var wire = BusBenchmarkData.Wire(frames);
        var capture = BusBenchmarkData.Capture(frames);
        var wireWithGarbage = BusBenchmarkData.Wire(frames, garbageFraction: 0.01);
        var destination = new AdapterFrame[4096];
        frames = [];

        yield return Measure("bus.frameDecode.span", () => DecodeSpan(wire, destination));
        yield return Measure("bus.frameDecode.spanWithGarbage", () => DecodeSpan(wireWithGarbage, destination));
        yield return Measure("bus.frameDecode.captureReaderInMemory", () => ReadCapture(capture, destination));
    }

    private static long DecodeSpan(byte[] wire, AdapterFrame[] destination)
    {
        var reader = new AdapterFrameReader(wire, isFinalBlock: true);
        long count = 0;
        int n;
        while ((n = reader.Read(destination)) > 0)
        {
            count += n;
        }

        return count;
    }

    private static long ReadCapture(byte[] capture, AdapterFrame[] destination)
    {
        using var reader = new CaptureReader(new MemoryStream(capture, writable: false));
        long count = 0;
        int n;
        while ((n = reader.Read(destination)) > 0)
        {
            count += n;
        }

        return count;
    }

    private static QuickResult Measure(string name, Func<long> pass)
    {
        pass(); // warm-up: JIT tiering, tables, caches
        pass();
        long words = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        int passes = 0;
        while (sw.Elapsed < s_runFor || passes < 2)
        {
            words += pass();
            passes++;
        }

        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        // A capture pass allocates its reader (64 KiB buffer, header) once per 4 Mi words: per-pass
        // set-up, reported separately from the per-word figure.
        return new QuickResult(
            name,
            "wordsPerSecond",
            words / sw.Elapsed.TotalSeconds,
            (double)allocated / words,
            new Dictionary<string, double>
            {
                ["wordsPerPass"] = words / passes,
                ["allocatedBytesPerPass"] = (double)allocated / passes,
            });
    }
}
