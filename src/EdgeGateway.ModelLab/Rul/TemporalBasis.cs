namespace EdgeGateway.ModelLab.Rul;

/// <summary>
/// Fixed linear summaries of each channel over a window: mean, linear and quadratic trend
/// (discrete Legendre polynomials), and the means of the last 10 and last 5 cycles. Projecting the
/// 30-cycle window onto these five curves keeps level and trend and drops the cycle-to-cycle noise a
/// dense layer on raw windows learns to fit. The projection is a matrix <c>[window, K]</c>, exported
/// to ONNX as a MatMul, so the gateway computes exactly the same features.
/// </summary>
public static class TemporalBasis
{
    /// <summary>Number of basis curves.</summary>
    public const int K = 5;

    /// <summary>The basis matrix, row-major <c>[window, K]</c>.</summary>
    public static float[] Create(int window)
    {
        var b = new float[window * K];
        var mid = (window - 1) / 2.0;
        var p1 = new double[window];
        var p2 = new double[window];
        for (var t = 0; t < window; t++)
        {
            var u = window > 1 ? (t - mid) / mid : 0;
            p1[t] = u;
            p2[t] = (1.5 * u * u) - 0.5;
        }

        var n1 = Math.Sqrt(p1.Sum(v => v * v));
        var n2 = Math.Sqrt(p2.Sum(v => v * v));
        var last10 = Math.Min(10, window);
        var last5 = Math.Min(5, window);
        for (var t = 0; t < window; t++)
        {
            b[(t * K) + 0] = (float)(1.0 / window);
            b[(t * K) + 1] = (float)(n1 > 0 ? p1[t] / n1 : 0);
            b[(t * K) + 2] = (float)(n2 > 0 ? p2[t] / n2 : 0);
            b[(t * K) + 3] = t >= window - last10 ? (float)(1.0 / last10) : 0f;
            b[(t * K) + 4] = t >= window - last5 ? (float)(1.0 / last5) : 0f;
        }

        return b;
    }

    /// <summary>
    /// Features of one window (row-major <c>[window, channels]</c>) into <paramref name="features"/>
    /// laid out <c>[channel, K]</c>: sums over time in time order.
    /// </summary>
    public static void Project(ReadOnlySpan<float> window, int channels, float[] basis, Span<float> features)
    {
        ArgumentNullException.ThrowIfNull(basis);
        var w = window.Length / channels;
        features.Clear();
        for (var c = 0; c < channels; c++)
        {
            var f = features.Slice(c * K, K);
            for (var t = 0; t < w; t++)
            {
                var x = window[(t * channels) + c];
                for (var k = 0; k < K; k++)
                {
                    f[k] += x * basis[(t * K) + k];
                }
            }
        }
    }
}
