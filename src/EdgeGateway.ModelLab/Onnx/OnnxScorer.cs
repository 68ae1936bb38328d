using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeGateway.ModelLab.Onnx;

/// <summary>
/// Runs an ONNX model with one float input and one float output in ONNX Runtime. The file is
/// parsed with the generated protobuf classes first, so a file that is not ONNX stops with its
/// name instead of a native error.
/// </summary>
public sealed class OnnxScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;

    /// <summary>Loads a model file.</summary>
    public OnnxScorer(string path, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
        : this(File.Exists(path) ? File.ReadAllBytes(path) : throw new LabException($"{path}: model file not found"), Path.GetFileName(path), level)
    {
    }

    /// <summary>Loads model bytes; <paramref name="source"/> names them in messages.</summary>
    public OnnxScorer(byte[] model, string source, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        var proto = OnnxGraphBuilder.Parse(model, source);
        using var options = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        try
        {
            _session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new LabException($"{source}: ONNX Runtime cannot load the model ({ex.Message})", ex);
        }

        _input = proto.Graph.Input[0].Name;
        _output = proto.Graph.Output[0].Name;
        InputShape = proto.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).ToArray();
    }

    /// <summary>Declared input shape (-1 for the batch dimension).</summary>
    public long[] InputShape { get; }

    /// <summary>Scores a batch of <paramref name="n"/> samples laid out flat; returns the flat output.</summary>
    public float[] Run(float[] input, int n)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = InputShape.Select(d => d < 0 ? n : (int)d).ToArray();
        var tensor = new DenseTensor<float>(input, shape);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, tensor)], [_output]);
        return results[0].AsEnumerable<float>().ToArray();
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
