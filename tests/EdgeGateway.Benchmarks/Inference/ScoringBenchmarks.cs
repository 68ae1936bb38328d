using BenchmarkDotNet.Attributes;
using EdgeGateway.Inference.Packages;

namespace EdgeGateway.Benchmarks.Inference;

/// <summary>Scoring a batch of anomaly windows through ONNX Runtime, fp32 beside int8, from preallocated buffers.</summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private ModelSet? _set;

    [Params("fp32", "int8")]
    public string Role { get; set; } = "int8";

    [Params(1, 64)]
    public int Batch { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        _set = InferenceBenchmarkData.Load(Role, Batch);
        InferenceBenchmarkData.Fill(_set.Anomaly!.Model.Input);
    }

    [GlobalCleanup]
    public void Cleanup() => _set?.Dispose();

    [Benchmark]
    public float ScoreBatch()
    {
        var m = _set!.Anomaly!.Model;
        m.Run(Batch);
        return m.Output[0];
    }
}
