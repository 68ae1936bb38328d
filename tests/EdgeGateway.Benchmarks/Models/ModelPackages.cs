using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeGateway.Benchmarks.Models;

/// <summary>Locates the shipped model packages and builds ONNX Runtime sessions and inputs for them.</summary>
internal static class ModelPackages
{
    /// <summary>Packages measured: folder under <c>models/</c> and ONNX file names (fp32, int8).</summary>
    public static readonly (string Package, string Fp32, string Int8)[] All =
    [
        ("rul", "rul.onnx", "rul.int8.onnx"),
        ("anomaly", "anomaly.onnx", "anomaly.int8.onnx"),
    ];

    public static string? Folder(string package)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeGateway.sln")))
            {
                var p = Path.Combine(d.FullName, "models", package);
                return File.Exists(Path.Combine(p, "manifest.json")) ? p : null;
            }
        }

        return null;
    }

    /// <summary>A session with the gateway's settings: one intra-op thread, full graph optimisation.</summary>
    public static InferenceSession Session(string path)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        return new InferenceSession(path, options);
    }

    /// <summary>A batch of <paramref name="batch"/> windows shaped like the manifest's input, filled with the self-test vector.</summary>
    public static (string InputName, DenseTensor<float> Tensor) Input(string folder, int batch)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        var input = doc.RootElement.GetProperty("input");
        var window = input.GetProperty("windowLength").GetInt32();
        var channels = input.GetProperty("channels").GetArrayLength();
        var self = doc.RootElement.GetProperty("selfTest").GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var data = new float[batch * window * channels];
        for (var b = 0; b < batch; b++)
        {
            self.CopyTo(data, b * self.Length);
        }

        return (input.GetProperty("tensorName").GetString()!, new DenseTensor<float>(data, [batch, window, channels]));
    }
}
