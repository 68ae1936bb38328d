using System.Diagnostics;
using EdgeGateway.Benchmarks.Bus;
using EdgeGateway.Benchmarks.Infrastructure;
using EdgeGateway.Sessions;

namespace EdgeGateway.Benchmarks.Service;

/// <summary>
/// Quick figures for the service, run as systemd would run it (a child process with NOTIFY_SOCKET):
/// start-up to READY=1, resident memory while it plays simulated landings, and /api/v1/status under a
/// .NET load client on loopback (the scoring endpoint has its own: <see cref="ScoringLoadQuickBenchmark"/>);
/// plus the signal recorder's cost.
/// </summary>
public sealed class ServiceQuickBenchmark : IQuickBenchmark
{
    private const int StartRuns = 5;
    private static readonly TimeSpan s_loadDuration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_steadyState = TimeSpan.FromSeconds(20);
    private const int LoadConcurrency = 64;

    /// <inheritdoc />
    public IEnumerable<QuickResult> Run()
    {
        yield return SignalRecorder();
        yield return StartToReady();
        foreach (var r in SteadyStateAndLoad())
        {
            yield return r;
        }
    }

    private static QuickResult SignalRecorder()
    {
        var frames = BusBenchmarkData.Frames(4096);
        var recorder = new SignalRecorder(ServiceBenchmarkPaths.Table());
        for (int i = 0; i < 200; i++)
        {
            recorder.RecordRaw(frames);
        }

        const int batches = 5000;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < batches; i++)
        {
            recorder.RecordRaw(frames);
        }

        sw.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return new QuickResult("service.signal-recorder.record-raw", "framesPerSecond", batches * (double)frames.Length / sw.Elapsed.TotalSeconds, (double)allocated / (batches * frames.Length));
    }

    private static QuickResult StartToReady()
    {
        var times = new List<double>();
        for (int i = 0; i < StartRuns; i++)
        {
            using var child = GatewayChild.Start();
            times.Add(child.ReadyAfter.TotalMilliseconds);
        }

        times.Sort();
        return new QuickResult("service.start-to-ready", "startsPerSecond", 1000 / times[times.Count / 2], 0, new Dictionary<string, double>
        {
            ["medianMs"] = times[times.Count / 2],
            ["minMs"] = times[0],
            ["maxMs"] = times[^1],
        });
    }

    private static IEnumerable<QuickResult> SteadyStateAndLoad()
    {
        using var child = GatewayChild.Start();
        long peakRss = 0;
        var until = DateTime.UtcNow + s_steadyState;
        while (DateTime.UtcNow < until)
        {
            peakRss = Math.Max(peakRss, child.RssBytes());
            Thread.Sleep(250);
        }

        long rssAfterLandings = child.RssBytes();
        yield return new QuickResult("service.steady-state-rss", "landingsPerSecond", 0, 0, new Dictionary<string, double>
        {
            ["rssMB"] = rssAfterLandings / 1048576.0,
            ["peakRssMB"] = Math.Max(peakRss, rssAfterLandings) / 1048576.0,
            ["seconds"] = s_steadyState.TotalSeconds,
        });

        var (rate, p50, p99, errors) = LoadStatus(child.BaseUrl).GetAwaiter().GetResult();
        yield return new QuickResult("service.api.status-load", "requestsPerSecond", rate, 0, new Dictionary<string, double>
        {
            ["p50Ms"] = p50,
            ["p99Ms"] = p99,
            ["errors"] = errors,
            ["concurrency"] = LoadConcurrency,
            ["rssAfterLoadMB"] = child.RssBytes() / 1048576.0,
        });
    }

    private static async Task<(double Rate, double P50, double P99, int Errors)> LoadStatus(string baseUrl)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = LoadConcurrency };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        for (int i = 0; i < 2000; i++)
        {
            (await http.GetAsync("/api/v1/status")).Dispose();
        }

        var latencies = new List<double>[LoadConcurrency];
        int errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(s_loadDuration.TotalSeconds * Stopwatch.Frequency);
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, LoadConcurrency).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                long t0 = Stopwatch.GetTimestamp();
                using var r = await http.GetAsync("/api/v1/status").ConfigureAwait(false);
                await r.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (!r.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        sw.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all.Length / sw.Elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)], errors);
    }
}
