using System.Diagnostics;
using EdgeGateway.Benchmarks.Infrastructure;
using EdgeGateway.Uplink;

namespace EdgeGateway.Benchmarks.Uplink;

/// <summary>
/// Quick figures for the uplink: durable enqueue with group commit, drain to Mosquitto over mutual TLS at QoS 1,
/// and outbox start-up with a 100,000-message backlog.
/// </summary>
public sealed class UplinkQuickBenchmark : IQuickBenchmark
{
    private const int EnqueueCount = 20_000;
    private const int EnqueueConcurrency = 256;
    private const int DrainCount = 20_000;
    private const int BacklogCount = 100_000;

    /// <inheritdoc />
    public IEnumerable<QuickResult> Run()
    {
        yield return Enqueue();
        yield return Drain();
        foreach (var r in Startup())
        {
            yield return r;
        }
    }

    private static QuickResult Enqueue()
    {
        using var env = new UplinkBenchmarkEnvironment();
        using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = env.File("enqueue.db"), MaxOutboxBytes = 4L << 30 });
        var body = System.Text.Encoding.UTF8.GetBytes("{\"kind\":\"vibrationTrend\",\"engine\":2,\"score\":0.93,\"channels\":[\"N1VIB\",\"N2VIB\"]}");
        var message = new UplinkMessage(MessageClass.Alert, "G-EZAB", ["ESN-892311"], body);
        RunBurst(outbox, message, 1000); // warm-up
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        RunBurst(outbox, message, EnqueueCount);
        sw.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new QuickResult("uplink.outbox.enqueue-durable", "messagesPerSecond", EnqueueCount / sw.Elapsed.TotalSeconds, (double)allocated / EnqueueCount,
            new Dictionary<string, double> { ["concurrency"] = EnqueueConcurrency });
    }

    /// <summary><paramref name="concurrency"/> producers, each awaiting its own enqueue before the next (as callers do).</summary>
    internal static void RunBurst(Outbox outbox, UplinkMessage message, int count, int concurrency = EnqueueConcurrency)
    {
        var remaining = count;
        var producers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await outbox.EnqueueAsync(message).ConfigureAwait(false);
            }
        }).ToArray();
        Task.WaitAll(producers);
    }

    private static QuickResult Drain()
    {
        using var env = new UplinkBenchmarkEnvironment();
        env.StartMosquitto();
        var path = env.File("drain.db");
        UplinkBenchmarkEnvironment.FillAsync(path, DrainCount).GetAwaiter().GetResult();
        using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = path, MaxOutboxBytes = 4L << 30 });
        var supervisor = new UplinkSupervisor(env.GatewayOptions(), outbox);
        using var stop = new CancellationTokenSource();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var run = supervisor.RunAsync(stop.Token);
        while (outbox.GetStatistics().TotalDepth > 0 && sw.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(5);
        }

        sw.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var published = supervisor.PublishedCount;
        stop.Cancel();
        run.GetAwaiter().GetResult();
        return new QuickResult("uplink.drain.mosquitto-tls-qos1", "messagesPerSecond", published / sw.Elapsed.TotalSeconds, (double)allocated / Math.Max(1, published),
            new Dictionary<string, double> { ["messages"] = published, ["secondsIncludingConnect"] = sw.Elapsed.TotalSeconds });
    }

    private static IEnumerable<QuickResult> Startup()
    {
        using var env = new UplinkBenchmarkEnvironment();
        var path = env.File("backlog.db");
        UplinkBenchmarkEnvironment.FillAsync(path, BacklogCount).GetAwaiter().GetResult();

        // A copy taken while the outbox is open is what a power cut leaves: the next open runs the full check.
        var crashed = env.File("crashed.db");
        using (Outbox.Open(new OutboxOptions { DatabasePath = path, MaxOutboxBytes = 4L << 30 }))
        {
            File.Copy(path, crashed);
            File.Copy(path + "-wal", crashed + "-wal");
        }

        yield return MeasureStartup("uplink.outbox.startup-100k-backlog", () => path, new FileInfo(path).Length);
        yield return MeasureStartup("uplink.outbox.startup-100k-backlog-after-crash", () =>
        {
            var copy = env.File($"crashed-{Guid.NewGuid():N}.db");
            File.Copy(crashed, copy);
            File.Copy(crashed + "-wal", copy + "-wal");
            return copy;
        }, new FileInfo(crashed).Length);
    }

    private static QuickResult MeasureStartup(string name, Func<string> prepare, long fileBytes)
    {
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var file = prepare();
            var sw = Stopwatch.StartNew();
            using var outbox = Outbox.Open(new OutboxOptions { DatabasePath = file, MaxOutboxBytes = 4L << 30 });
            var first = outbox.ReadNextAsync(256).GetAwaiter().GetResult();
            sw.Stop();
            if (first.Count != 256 || outbox.GetStatistics().TotalDepth != BacklogCount)
            {
                throw new InvalidOperationException("backlog not read back");
            }

            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var median = times[times.Count / 2];
        return new QuickResult(name, "startsPerSecond", 1000 / median, 0,
            new Dictionary<string, double> { ["medianMilliseconds"] = median, ["maxMilliseconds"] = times[^1], ["backlog"] = BacklogCount, ["fileBytes"] = fileBytes });
    }
}
