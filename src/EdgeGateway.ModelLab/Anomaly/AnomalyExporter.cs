using EdgeGateway.ModelLab.Onnx;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>
/// ONNX graphs of the two anomaly families. Both take a normalised window <c>[N, W, C]</c> and give
/// a score <c>[N, 1]</c>. The int8 variants store every weight matrix as int8 with per-channel
/// scales behind <c>DequantizeLinear</c>; biases, eigenvalues and limits stay float32.
/// </summary>
public static class AnomalyExporter
{
    /// <summary>Input tensor name.</summary>
    public const string InputName = "window";

    /// <summary>Output tensor name.</summary>
    public const string OutputName = "score";

    /// <summary>PCA: score = max(sum(z^2 / lambda) / T2lim, sum((c - z P^T)^2) / Qlim), c = x - mean, z = c P.</summary>
    public static byte[] Pca(PcaDetector pca, int window, int channels, bool quantize, WindowFeatures? features = null, IReadOnlyList<EngineSplit>? splits = null)
    {
        ArgumentNullException.ThrowIfNull(pca);
        var b = Start(window, channels, features, splits, out var flat);
        string p;
        string mean;
        if (quantize)
        {
            var (q, s) = MlpExporter.QuantizePerColumn(pca.Components, pca.Dimension, pca.Rank);
            p = b.Node("DequantizeLinear", [b.AddInt8("P_q", q, pca.Dimension, pca.Rank), b.AddFloat("P_scale", s, pca.Rank), b.AddInt8("P_zero", new sbyte[pca.Rank], pca.Rank)], "P", OnnxGraphBuilder.IntAttr("axis", 1));
            var (mq, ms) = MlpExporter.QuantizePerColumn(pca.Mean, pca.Dimension, 1);
            mean = b.Node("DequantizeLinear", [b.AddInt8("mean_q", mq, pca.Dimension), b.AddFloat("mean_scale", ms), b.AddInt8("mean_zero", new sbyte[1])], "mean");
        }
        else
        {
            p = b.AddFloat("P", pca.Components, pca.Dimension, pca.Rank);
            mean = b.AddFloat("mean", pca.Mean, pca.Dimension);
        }

        var axes = b.AddInt64("axes1", [1L], 1);
        var c = b.Node("Sub", [flat, mean], "centered");
        var z = b.Node("MatMul", [c, p], "z");
        var inv = b.AddFloat("inv_eig", pca.Eigenvalues.Select(v => 1f / v).ToArray(), pca.Rank);
        var z2 = b.Node("Mul", [z, z], "z2");
        var t2 = b.Node("ReduceSum", [b.Node("Mul", [z2, inv], "z2w"), axes], "t2", OnnxGraphBuilder.IntAttr("keepdims", 1));
        var pt = b.Node("Transpose", [p], "PT", OnnxGraphBuilder.IntsAttr("perm", 1, 0));
        var r = b.Node("Sub", [c, b.Node("MatMul", [z, pt], "recon")], "residual");
        var q2 = b.Node("ReduceSum", [b.Node("Mul", [r, r], "r2"), axes], "q", OnnxGraphBuilder.IntAttr("keepdims", 1));
        var t2n = b.Node("Mul", [t2, b.AddFloat("inv_t2lim", [(float)(1 / pca.T2Limit)])], "t2n");
        var qn = b.Node("Mul", [q2, b.AddFloat("inv_qlim", [(float)(1 / pca.QLimit)])], "qn");
        Finish(b, b.Node("Max", [t2n, qn], splits is not { Count: > 0 } ? OutputName : "pca_score"), splits, channels);
        return OnnxGraphBuilder.Serialize(b.Build("PCA anomaly detector (T-squared and Q)"));
    }

    /// <summary>Largest input over its limit: score = max_j(|x_j| * inverseLimits_j); no weight matrix, so int8 and fp32 are the same graph.</summary>
    public static byte[] MaxAbs(float[] inverseLimits, int window, int channels, WindowFeatures? features, IReadOnlyList<EngineSplit>? splits = null)
    {
        ArgumentNullException.ThrowIfNull(inverseLimits);
        var b = Start(window, channels, features, splits, out var flat);
        var scaled = b.Node("Mul", [b.Node("Abs", [flat], "abs"), b.AddFloat("inv_limit", inverseLimits, inverseLimits.Length)], "over_limit");
        Finish(b, b.Node("ReduceMax", [scaled], splits is not { Count: > 0 } ? OutputName : "max_score", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 1)), splits, channels);
        return OnnxGraphBuilder.Serialize(b.Build("Largest standardised feature over its limit"));
    }

    /// <summary>Autoencoder: score = mean((AE(x) - x)^2) over the window's values.</summary>
    public static byte[] Autoencoder(Mlp net, int window, int channels, bool quantize, WindowFeatures? features = null, IReadOnlyList<EngineSplit>? splits = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        var b = Start(window, channels, features, splits, out var flat);
        var recon = MlpExporter.AppendLayers(b, net, flat, "ae_", quantize);
        var e = b.Node("Sub", [recon, flat], "err");
        var axes = b.AddInt64("axes1", [1L], 1);
        var sum = b.Node("ReduceSum", [b.Node("Mul", [e, e], "err2"), axes], "sse", OnnxGraphBuilder.IntAttr("keepdims", 1));
        Finish(b, b.Node("Mul", [sum, b.AddFloat("inv_dim", [1f / net.InputSize])], splits is not { Count: > 0 } ? OutputName : "ae_score"), splits, channels);
        return OnnxGraphBuilder.Serialize(b.Build("Autoencoder anomaly detector (reconstruction error)"));
    }

    private static OnnxGraphBuilder Start(int window, int channels, WindowFeatures? features, IReadOnlyList<EngineSplit>? splits, out string flat)
    {
        var b = new OnnxGraphBuilder("anomaly");
        b.AddInput(InputName, null, window, channels);
        if (features is not null)
        {
            flat = features.Append(b, InputName);
            return b;
        }

        if (splits is { Count: > 0 })
        {
            throw new LabException("--engine-split needs --features residual");
        }

        flat = b.Node("Reshape", [InputName, b.AddInt64("flat_shape", [0L, (long)window * channels], 2)], "flat");
        return b;
    }

    /// <summary>Declares the score output: the detector's score, or the largest of it and the split terms (which read the feature layer's time-last window).</summary>
    private static void Finish(OnnxGraphBuilder b, string detectorScore, IReadOnlyList<EngineSplit>? splits, int channels)
    {
        if (splits is { Count: > 0 })
        {
            b.Node("Max", [detectorScore, EngineSplit.AppendTerms(b, splits, channels, WindowFeatures.TimeLastName, WindowFeatures.TimeWeightsName)], OutputName);
        }

        b.AddOutput(OutputName, null, 1);
    }
}
