using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeGateway.Benchmarks.Models;

/// <summary>ONNX Runtime inference of the shipped packages, one window per call (the gateway's case).</summary>
[MemoryDiagnoser]
public class ModelInferenceBenchmarks : IDisposable
{
    private InferenceSession? _session;
    private NamedOnnxValue[] _inputs = [];

    /// <summary>Package and precision, e.g. <c>rul/fp32</c>.</summary>
    [Params("rul/fp32", "rul/int8", "anomaly/fp32", "anomaly/int8")]
    public string Model { get; set; } = "rul/fp32";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Model.Split('/');
        var entry = ModelPackages.All.First(p => p.Package == parts[0]);
        var folder = ModelPackages.Folder(entry.Package) ?? throw new InvalidOperationException($"models/{entry.Package} not found");
        _session = ModelPackages.Session(Path.Combine(folder, parts[1] == "int8" ? entry.Int8 : entry.Fp32));
        var (name, tensor) = ModelPackages.Input(folder, 1);
        _inputs = [NamedOnnxValue.CreateFromTensor(name, tensor)];
    }

    [Benchmark]
    public float ScoreOneWindow()
    {
        using var results = _session!.Run(_inputs);
        return results[0].AsTensor<float>()[0, 0];
    }

    public void Dispose()
    {
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }
}
