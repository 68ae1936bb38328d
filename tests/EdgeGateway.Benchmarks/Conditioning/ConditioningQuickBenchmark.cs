using System.Buffers;
using System.Diagnostics;
using EdgeGateway.Benchmarks.Infrastructure;
using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Benchmarks.Conditioning;

/// <summary>
/// Quick mode: Hampel(7) one shot and streaming on 20 million float32 samples, rolling median(7), and the
/// streaming conditioning chain, and the window builder. Rates are the best of a few repeats; allocation is measured over the
/// timed repeats and divided by the samples processed.
/// </summary>
public sealed class ConditioningQuickBenchmark : IQuickBenchmark
{
    private const int Repeats = 5;

    /// <inheritdoc />
    public IEnumerable<QuickResult> Run()
    {
        var x = ConditioningData.NoisySine(ConditioningData.HampelSamples);
        var y = new float[x.Length];

        yield return Measure("conditioning.copyCeiling", x.Length, () => x.AsSpan().CopyTo(y));
        yield return Measure("conditioning.hampel7.oneShot", x.Length, () => Hampel.Apply(x, y, 7));
        yield return Measure("conditioning.hampel7.reference", x.Length / 10, () => Hampel.ApplyReference(x.AsSpan(0, x.Length / 10), y, 7), repeats: 1);
        yield return Measure("conditioning.hampel9.generic", x.Length, () => Hampel.Apply(x, y, 9));
        yield return Measure("conditioning.rollingMedian7.oneShot", x.Length, () => RollingMedian.Apply(x, y, 7));

        var filter = new HampelFilter(7);
        yield return Measure("conditioning.hampel7.streaming4096", x.Length, () =>
        {
            int written = 0;
            for (int i = 0; i < x.Length; i += 4096)
            {
                var chunk = x.AsSpan(i, Math.Min(4096, x.Length - i));
                written += filter.Process(chunk, y.AsSpan(written));
            }

            filter.Flush(y.AsSpan(written));
        });

        const int ChainSamples = 5_000_000;
        var period = TimeSpan.FromMilliseconds(100);
        var ticks = ConditioningData.JitteredTicks(ChainSamples, period);
        var options = new ConditioningOptions
        {
            Smoothing = Smoothing.Ema,
            Resample = new ResampleOptions { OutputPeriod = period },
        };
        using var chain = new ConditioningChain(options);
        var output = new float[4096 * 2];
        yield return Measure("conditioning.chain.streaming4096", ChainSamples, () =>
        {
            for (int i = 0; i < ChainSamples; i += 4096)
            {
                int n = Math.Min(4096, ChainSamples - i);
                var t = ticks.AsSpan(i, n);
                var v = x.AsSpan(i, n);
                while (chain.Process(t, v, output, out int consumed, out _) == OperationStatus.DestinationTooSmall)
                {
                    t = t[consumed..];
                    v = v[consumed..];
                }
            }

            while (chain.Flush(output, out _) == OperationStatus.DestinationTooSmall)
            {
            }
        });

        const int WindowSamples = 1 << 20;
        var windowData = x.AsSpan(0, WindowSamples).ToArray();
        var builder = new WindowBuilder(256, 32, ["n1", "n2", "egt"]);
        var window = new float[builder.WindowValues];
        long next = 0;
        yield return Measure("conditioning.windowBuilder.256x3stride32", WindowSamples, () =>
        {
            ConditioningData.FeedWindows(builder, window, windowData, next, 3);
            next += WindowSamples;
        });

        // The same three channels with a fourth, optional column (the other engine's EGT) that never
        // comes: every window stands in for it (patience 0, so the ring never fills).
        var standIn = new WindowBuilder(256, 32, ["n1", "n2", "egt", "egt@other"]);
        standIn.SetStandIn(3, 2, 0.5, 1, patienceSamples: 0);
        var standInWindow = new float[standIn.WindowValues];
        long nextStandIn = 0;
        yield return Measure("conditioning.windowBuilder.256x3stride32.standIn", WindowSamples, () =>
        {
            ConditioningData.FeedWindows(standIn, standInWindow, windowData, nextStandIn, 3);
            nextStandIn += WindowSamples;
        });
    }

    private static QuickResult Measure(string name, int samples, Action action, int repeats = Repeats)
    {
        action(); // warm-up: tiered JIT, page faults
        double best = double.MaxValue;
        double bestCpu = double.MaxValue;
        long allocated = 0;
        for (int r = 0; r < repeats; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime;
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            var cpu = Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime - cpuBefore;
            bestCpu = Math.Min(bestCpu, cpu.TotalSeconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // Wall-clock rate is the headline; the CPU-time rate shows what the code does when the shared
        // machine's other load steals the core (the process is single-threaded here).
        return new QuickResult(name, "samplesPerSecond", samples / best, allocated / ((double)samples * repeats),
            new Dictionary<string, double> { ["seconds"] = best, ["samples"] = samples, ["samplesPerCpuSecond"] = Math.Round(samples / bestCpu) });
    }
}
