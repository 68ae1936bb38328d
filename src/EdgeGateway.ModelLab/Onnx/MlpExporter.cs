using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Onnx;

/// <summary>
/// Writes an <see cref="Mlp"/> as ONNX nodes: <c>MatMul + Add</c> per layer with <c>Relu</c>/<c>Tanh</c>
/// between. With <c>quantize</c> each weight matrix is stored as int8 with one symmetric scale per
/// output channel and restored by <c>DequantizeLinear(axis=1)</c> (QDQ weight-only form).
/// </summary>
public static class MlpExporter
{
    /// <summary>Appends the network's layers reading <paramref name="input"/> ([N, in]); returns the output name.</summary>
    public static string AppendLayers(OnnxGraphBuilder b, Mlp net, string input, string prefix, bool quantize)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(net);
        var h = input;
        for (var l = 0; l < net.W.Length; l++)
        {
            var inSize = net.Sizes[l];
            var outSize = net.Sizes[l + 1];
            string w;
            if (quantize)
            {
                var (q, scales) = QuantizePerColumn(net.W[l], inSize, outSize);
                var qn = b.AddInt8($"{prefix}W{l}_q", q, inSize, outSize);
                var sn = b.AddFloat($"{prefix}W{l}_scale", scales, outSize);
                var zn = b.AddInt8($"{prefix}W{l}_zero", new sbyte[outSize], outSize);
                w = b.Node("DequantizeLinear", [qn, sn, zn], $"{prefix}W{l}", OnnxGraphBuilder.IntAttr("axis", 1));
            }
            else
            {
                w = b.AddFloat($"{prefix}W{l}", net.W[l], inSize, outSize);
            }

            var bias = b.AddFloat($"{prefix}B{l}", net.B[l], outSize);
            var mm = b.Node("MatMul", [h, w], $"{prefix}mm{l}");
            h = b.Node("Add", [mm, bias], $"{prefix}z{l}");
            if (l < net.W.Length - 1)
            {
                h = b.Node(net.Hidden == Activation.Relu ? "Relu" : "Tanh", [h], $"{prefix}h{l}");
            }
        }

        return h;
    }

    /// <summary>
    /// Symmetric int8 quantisation of a row-major <c>[in, out]</c> matrix with one scale per output
    /// column (max |w| / 127); a zero column gets scale 1.
    /// </summary>
    public static (sbyte[] Q, float[] Scales) QuantizePerColumn(float[] w, int inSize, int outSize)
    {
        ArgumentNullException.ThrowIfNull(w);
        var scales = new float[outSize];
        for (var j = 0; j < outSize; j++)
        {
            var max = 0f;
            for (var k = 0; k < inSize; k++)
            {
                max = Math.Max(max, Math.Abs(w[(k * outSize) + j]));
            }

            scales[j] = max > 0f ? max / 127f : 1f;
        }

        var q = new sbyte[w.Length];
        for (var k = 0; k < inSize; k++)
        {
            for (var j = 0; j < outSize; j++)
            {
                var v = MathF.Round(w[(k * outSize) + j] / scales[j], MidpointRounding.ToEven);
                q[(k * outSize) + j] = (sbyte)Math.Clamp(v, -127f, 127f);
            }
        }

        return (q, scales);
    }

    /// <summary>A copy of the network whose weights went through int8 and back (the C# reference for the int8 model).</summary>
    public static Mlp Dequantized(Mlp net)
    {
        ArgumentNullException.ThrowIfNull(net);
        var copy = new Mlp(net.Sizes, net.Hidden, 0);
        for (var l = 0; l < net.W.Length; l++)
        {
            var inSize = net.Sizes[l];
            var outSize = net.Sizes[l + 1];
            var (q, s) = QuantizePerColumn(net.W[l], inSize, outSize);
            for (var k = 0; k < inSize; k++)
            {
                for (var j = 0; j < outSize; j++)
                {
                    copy.W[l][(k * outSize) + j] = q[(k * outSize) + j] * s[j];
                }
            }

            net.B[l].CopyTo(copy.B[l], 0);
        }

        return copy;
    }
}
