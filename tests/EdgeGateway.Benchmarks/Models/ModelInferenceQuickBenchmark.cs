using System.Diagnostics;
using EdgeGateway.Benchmarks.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace EdgeGateway.Benchmarks.Models;

/// <summary>
/// Quick mode: windows per second of each shipped package, fp32 and int8, scoring one window per
/// call and 64 windows per call, about one second per row.
/// </summary>
public sealed class ModelInferenceQuickBenchmark : IQuickBenchmark
{
    /// <inheritdoc/>
    public IEnumerable<QuickResult> Run()
    {
        foreach (var (package, fp32, int8) in ModelPackages.All)
        {
            var folder = ModelPackages.Folder(package);
            if (folder is null)
            {
                continue;
            }

            foreach (var (precision, file) in new[] { ("fp32", fp32), ("int8", int8) })
            {
                using var session = ModelPackages.Session(Path.Combine(folder, file));
                foreach (var batch in new[] { 1, 64 })
                {
                    var (name, tensor) = ModelPackages.Input(folder, batch);
                    var inputs = new[] { NamedOnnxValue.CreateFromTensor(name, tensor) };
                    for (var i = 0; i < 50; i++)
                    {
                        using var warm = session.Run(inputs);
                    }

                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    long windows = 0;
                    while (sw.Elapsed.TotalSeconds < 1.0)
                    {
                        using var r = session.Run(inputs);
                        windows += batch;
                    }

                    var seconds = sw.Elapsed.TotalSeconds;
                    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    yield return new QuickResult(
                        $"models.{package}.{precision}.batch{batch}",
                        "windowsPerSecond",
                        windows / seconds,
                        allocated / (double)windows,
                        new Dictionary<string, double>
                        {
                            ["windowsPerCpuSecond"] = windows / Math.Max(cpuSeconds, 1e-9),
                            ["modelBytes"] = new FileInfo(Path.Combine(folder, file)).Length,
                        });
                }
            }
        }
    }
}
