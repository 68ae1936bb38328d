using System.Diagnostics;
using EdgeGateway.Benchmarks.Infrastructure;
using EdgeGateway.Benchmarks.Replay;
using EdgeGateway.Core.Exceedances;
using EdgeGateway.Inference;
using EdgeGateway.Inference.Packages;
using EdgeGateway.Landing;

namespace EdgeGateway.Benchmarks.Inference;

/// <summary>
/// Quick inference figures: anomaly windows per second and microseconds per window for the fp32
/// and int8 files of the shipped anomaly package, batched (64) and one at a time, on one
/// intra-op thread; and the replay of the 14-hour two-engine capture with both models (anomaly
/// scoring every second per engine, drift, exceedances, data quality, RUL snapshot) against the
/// same replay without them, in the same run.
/// </summary>
public sealed class InferenceQuick : IQuickBenchmark
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(2);

    public IEnumerable<QuickResult> Run()
    {
        foreach (var role in new[] { "fp32", "int8" })
        {
            foreach (var batch in new[] { 1, 64 })
            {
                yield return Score(role, batch);
            }
        }

        yield return ReplayRatio();
    }

    private static QuickResult Score(string role, int batch)
    {
        using var set = InferenceBenchmarkData.Load(role, batch);
        var model = set.Anomaly!.Model;
        InferenceBenchmarkData.Fill(model.Input);
        for (int i = 0; i < 20; i++)
        {
            model.Run(batch);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long windows = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < s_budget)
        {
            model.Run(batch);
            windows += batch;
        }

        double seconds = watch.Elapsed.TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new QuickResult($"inference/anomaly-{role}-batch{batch}", "windowsPerSecond", windows / seconds, (double)allocated / windows, new Dictionary<string, double>
        {
            ["microsecondsPerWindow"] = seconds * 1e6 / windows,
            ["cpuMicrosecondsPerWindow"] = cpuSeconds * 1e6 / windows,
            ["windowValues"] = model.SampleValues,
        });
    }

    private static QuickResult ReplayRatio()
    {
        string cap = ReplayCaptures.Get(14);
        var table = ReplayCaptures.Table;
        using var models = ModelSet.Load(InferenceBenchmarkData.ModelsFolder, InferenceBenchmarkData.KeysFolder, new InferenceOptions());
        if (models.Anomaly is null || models.Rul is null)
        {
            throw new InvalidOperationException("benchmark needs both packages: " + models.StatusLine);
        }

        var setup = new AnalysisSetup
        {
            Models = models,
            Limits = ExceedanceLimitSet.Find(Path.Combine(InferenceBenchmarkData.Root, "firmware-config", "exceedance-limits"), table.Info.EngineType),
            Options = models.Options,
        };

        // "Without models" read two ways: the gateway's replay with no model packages (degraded mode:
        // exceedances and data-quality checks still run), and the bare replay with no analysis at all.
        var noPackages = new AnalysisSetup { Limits = setup.Limits, Options = models.Options };
        CaptureReplay.Run(cap, table); // warm-up
        CaptureReplay.Run(cap, table, setup);
        CaptureReplay.Run(cap, table, noPackages);
        double without = Time(() => CaptureReplay.Run(cap, table));
        double degraded = Time(() => CaptureReplay.Run(cap, table, noPackages));
        var watch = Stopwatch.StartNew();
        var result = CaptureReplay.Run(cap, table, setup);
        double with = watch.Elapsed.TotalSeconds;
        double without2 = Time(() => CaptureReplay.Run(cap, table));
        double degraded2 = Time(() => CaptureReplay.Run(cap, table, noPackages));
        double baseline = Math.Min(without, without2);
        double degradedBaseline = Math.Min(degraded, degraded2);
        long scored = result.Summary.AnomalyScoring.Sum(a => a.WindowsScored);
        return new QuickResult("inference/replay-14h-with-models", "wordsPerSecond", result.Summary.Words / with, 0, new Dictionary<string, double>
        {
            ["secondsWithModels"] = with,
            ["secondsWithoutModels"] = baseline,
            ["ratio"] = with / baseline,
            ["secondsWithoutPackages"] = degradedBaseline,
            ["ratioToNoPackages"] = with / degradedBaseline,
            ["windowsScored"] = scored,
            ["episodes"] = result.Summary.AnomalyEpisodes.Count,
        });
    }

    private static double Time(Action a)
    {
        var w = Stopwatch.StartNew();
        a();
        return w.Elapsed.TotalSeconds;
    }
}
