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
/// windows on the manifest's stride per engine, drift, exceedances, data quality, RUL snapshot)
/// against the same replay without them, in the same run: wall time with full batches scored in the
/// background (the default) and on the replay thread, and CPU time.
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
        using var foregroundModels = ModelSet.Load(InferenceBenchmarkData.ModelsFolder, InferenceBenchmarkData.KeysFolder, new InferenceOptions { BackgroundScoring = false });
        if (models.Anomaly is null || models.Rul is null || foregroundModels.Anomaly is null)
        {
            throw new InvalidOperationException("benchmark needs both packages: " + models.StatusLine);
        }

        var limits = ExceedanceLimitSet.Find(Path.Combine(InferenceBenchmarkData.Root, "firmware-config", "exceedance-limits"), table.Info.EngineType);
        var setup = new AnalysisSetup { Models = models, Limits = limits, Options = models.Options };
        var foreground = new AnalysisSetup { Models = foregroundModels, Limits = limits, Options = foregroundModels.Options };

        // "Without models" read two ways: the gateway's replay with no model packages (degraded mode:
        // exceedances and data-quality checks still run), and the bare replay with no analysis at all.
        var noPackages = new AnalysisSetup { Limits = limits, Options = models.Options };
        var runs = new (string Name, Action Run)[]
        {
            ("bare", () => CaptureReplay.Run(cap, table)),
            ("degraded", () => CaptureReplay.Run(cap, table, noPackages)),
            ("foreground", () => CaptureReplay.Run(cap, table, foreground)),
            ("models", () => CaptureReplay.Run(cap, table, setup)),
        };

        // Interleaved rounds, the fastest of each kept: the machine is shared, and a slow round says
        // more about the neighbours than about the replay.
        var wall = runs.ToDictionary(r => r.Name, _ => double.MaxValue);
        var cpu = runs.ToDictionary(r => r.Name, _ => double.MaxValue);
        foreach (var (_, run) in runs)
        {
            run(); // warm-up
        }

        for (int round = 0; round < 5; round++)
        {
            foreach (var (name, run) in runs)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                wall[name] = Math.Min(wall[name], Time(run));
                cpu[name] = Math.Min(cpu[name], (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
            }
        }

        var result = CaptureReplay.Run(cap, table, setup);
        long scored = result.Summary.AnomalyScoring.Sum(a => a.WindowsScored);
        return new QuickResult("inference/replay-14h-with-models", "wordsPerSecond", result.Summary.Words / wall["models"], 0, new Dictionary<string, double>
        {
            ["secondsWithModels"] = wall["models"],
            ["secondsWithoutModels"] = wall["bare"],
            ["ratio"] = wall["models"] / wall["bare"],
            ["secondsWithoutPackages"] = wall["degraded"],
            ["ratioToNoPackages"] = wall["models"] / wall["degraded"],
            ["secondsScoringOnReplayThread"] = wall["foreground"],
            ["ratioScoringOnReplayThread"] = wall["foreground"] / wall["bare"],
            ["cpuSecondsWithModels"] = cpu["models"],
            ["cpuSecondsWithoutModels"] = cpu["bare"],
            ["cpuRatio"] = cpu["models"] / cpu["bare"],
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
