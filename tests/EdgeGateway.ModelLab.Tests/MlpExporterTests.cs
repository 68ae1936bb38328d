using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Tests;

public class MlpExporterTests
{
    private static byte[] Export(Mlp net, bool quantize)
    {
        var b = new OnnxGraphBuilder("test");
        b.AddInput("x", null, net.InputSize);
        var y = MlpExporter.AppendLayers(b, net, "x", "l", quantize);
        b.Node("Identity", [y], "y");
        b.AddOutput("y", null, net.OutputSize);
        return OnnxGraphBuilder.Serialize(b.Build("test"));
    }

    private static (Mlp Net, float[][] X) Trained()
    {
        var (xs, ys) = MlpTests.Regression(300, 1);
        var net = new Mlp([4, 16, 8, 1], Activation.Relu, 3);
        Trainer.Train(net, xs, ys, xs[..50], ys[..50], new TrainOptions(5, 32, 0.01f, 5, 3));
        return (net, xs);
    }

    [Fact]
    public void Export_Fp32_OnnxRuntimeMatchesCSharpForward()
    {
        var (net, xs) = Trained();
        using var scorer = new OnnxScorer(Export(net, quantize: false), "fp32.onnx");
        var flat = xs.SelectMany(v => v).ToArray();
        var onnx = scorer.Run(flat, xs.Length);
        for (var i = 0; i < xs.Length; i++)
        {
            Assert.Equal(net.Predict(xs[i])[0], onnx[i], 4);
        }
    }

    [Fact]
    public void Export_Int8_OnnxRuntimeMatchesDequantizedForwardAndIsSmaller()
    {
        var (net, xs) = Trained();
        var bytes8 = Export(net, quantize: true);
        using var scorer = new OnnxScorer(bytes8, "int8.onnx");
        var reference = MlpExporter.Dequantized(net);
        var onnx = scorer.Run(xs.SelectMany(v => v).ToArray(), xs.Length);
        for (var i = 0; i < xs.Length; i++)
        {
            // ORT may quantise activations too when it fuses DequantizeLinear+MatMul.
            Assert.InRange(onnx[i] - reference.Predict(xs[i])[0], -0.05f, 0.05f);
        }
    }

    [Fact]
    public void Export_SameNetworkTwice_IdenticalBytes()
    {
        var (net, _) = Trained();
        Assert.Equal(Export(net, false), Export(net, false));
    }

    [Fact]
    public void OnnxScorer_FileNotOnnx_NamesFile()
    {
        using var dir = new TempDir();
        var p = dir.File("model.onnx", "this is not a protobuf model");
        var ex = Assert.Throws<LabException>(() => new OnnxScorer(p));
        Assert.Contains("model.onnx: not an ONNX model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuantizePerColumn_EachColumnScaledToItsMax()
    {
        float[] w = [1f, -0.005f, -2f, 0.02f];
        var (q, s) = MlpExporter.QuantizePerColumn(w, 2, 2);
        Assert.Equal(2f / 127f, s[0], 6);
        Assert.Equal(0.02f / 127f, s[1], 6);
        Assert.Equal([64, -32, -127, 127], q.Select(v => (int)v));
    }
}
