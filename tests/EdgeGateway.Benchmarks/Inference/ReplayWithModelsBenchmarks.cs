using BenchmarkDotNet.Attributes;
using EdgeGateway.Benchmarks.Replay;
using EdgeGateway.Core.Exceedances;
using EdgeGateway.Inference;
using EdgeGateway.Inference.Packages;
using EdgeGateway.Landing;

namespace EdgeGateway.Benchmarks.Inference;

/// <summary>
/// Replay of the 14-hour two-engine capture: bare (no analysis), degraded (no model packages:
/// exceedances and data quality), and with both packages, anomaly batches scored on the replay
/// thread or in the background.
/// </summary>
[MemoryDiagnoser]
public class ReplayWithModelsBenchmarks
{
    private string _capture = "";
    private ModelSet? _models;
    private AnalysisSetup? _setup;

    [Params("bare", "degraded", "models-foreground", "models-background")]
    public string Mode { get; set; } = "bare";

    [GlobalSetup]
    public void Setup()
    {
        _capture = ReplayCaptures.Get(14);
        var table = ReplayCaptures.Table;
        var limits = ExceedanceLimitSet.Find(Path.Combine(InferenceBenchmarkData.Root, "firmware-config", "exceedance-limits"), table.Info.EngineType);
        var options = new InferenceOptions { BackgroundScoring = Mode == "models-background" };
        if (Mode.StartsWith("models", StringComparison.Ordinal))
        {
            _models = ModelSet.Load(InferenceBenchmarkData.ModelsFolder, InferenceBenchmarkData.KeysFolder, options);
        }

        _setup = Mode == "bare" ? null : new AnalysisSetup { Models = _models, Limits = limits, Options = options };
    }

    [GlobalCleanup]
    public void Cleanup() => _models?.Dispose();

    [Benchmark]
    public long Replay14h() => (_setup is null
        ? CaptureReplay.Run(_capture, ReplayCaptures.Table)
        : CaptureReplay.Run(_capture, ReplayCaptures.Table, _setup)).Summary.Words;
}
