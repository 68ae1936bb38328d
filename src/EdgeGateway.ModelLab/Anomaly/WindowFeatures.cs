using EdgeGateway.ModelLab.Onnx;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>
/// Fixed feature layer in front of the detector, fitted on normal data and exported into the same
/// ONNX graph, so the gateway still feeds the scaled <c>[window, channels]</c> of one engine.
/// Each channel's residual against what the engine's operating point predicts (ridge regression on
/// cubic polynomial terms of N1 and N2, plus optional linear terms of named other channels, e.g.
/// fuel flow for EGT as a proxy of altitude; N1 is predicted without N1 terms and N2 without N2
/// terms), then per channel over the window: residual mean (level shifts: EGT margin, oil loss,
/// bias), residual slope (a fixed time kernel: slow drifts, wear), roughness: the smallest of
/// <see cref="RoughBlocks"/> RMS values of the residual's first differences over consecutive blocks
/// of <see cref="RoughBlock"/> s at the end of the window (a noise burst raises every block, a few
/// seconds of turbulence only one or two), log of the scaled range (a stuck sensor has none), and the
/// change: residual mean over the last <see cref="ChangeBlock"/> rows minus that over the first (a
/// step within the flight such as lost EGT margin, whatever the engine's own offset). The features
/// are standardised with their mean and deviation on normal training windows.
/// </summary>
public sealed class WindowFeatures
{
    /// <summary>Polynomial terms of (N1, N2): 1, a, b, a^2, ab, b^2, a^3, b^3; then one linear term per channel.</summary>
    public const int PolyTerms = 8;

    /// <summary>Features per channel.</summary>
    public const int PerChannel = 5;

    /// <summary>Longest block of rows at each end of the window whose residual means the change feature compares.</summary>
    public const int MaxChangeBlock = 60;

    /// <summary>Rows at each end of the window compared by the change feature: a quarter of the window, at most <see cref="MaxChangeBlock"/>.</summary>
    public int ChangeBlock => Math.Min(MaxChangeBlock, Window / 4);

    private const float RangeFloor = 1e-3f;

    private WindowFeatures(int window, int channels, int n1, int n2, float[] coefficients, float[] mean, float[] scale)
    {
        Window = window;
        Channels = channels;
        N1 = n1;
        N2 = n2;
        Coefficients = coefficients;
        Mean = mean;
        Scale = scale;
        Kernel = new float[window];
        double norm = 0;
        for (var t = 0; t < window; t++)
        {
            var v = t - ((window - 1) / 2.0);
            norm += v * v;
        }

        for (var t = 0; t < window; t++)
        {
            Kernel[t] = (float)((t - ((window - 1) / 2.0)) / Math.Sqrt(Math.Max(norm, 1e-12)));
        }
    }

    /// <summary>Rows per window.</summary>
    public int Window { get; }

    /// <summary>Blocks of first differences whose smallest RMS is the roughness feature.</summary>
    public const int RoughBlocks = 4;

    /// <summary>Rows per roughness block.</summary>
    public const int RoughBlock = 10;

    /// <summary>Regression terms: the polynomial ones and one per channel.</summary>
    public int Terms => PolyTerms + Channels;

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Index of the fan speed channel.</summary>
    public int N1 { get; }

    /// <summary>Index of the core speed channel.</summary>
    public int N2 { get; }

    /// <summary>Ridge coefficients, row-major <c>[Terms, Channels]</c>.</summary>
    public float[] Coefficients { get; }

    /// <summary>Slope kernel over the window (zero mean, unit norm).</summary>
    public float[] Kernel { get; }

    /// <summary>Feature means on normal training windows.</summary>
    public float[] Mean { get; }

    /// <summary>Inverse feature deviations on normal training windows.</summary>
    public float[] Scale { get; }

    /// <summary>Output width.</summary>
    public int Dimension => Channels * PerChannel;

    /// <summary>Fits the residual model on normal scaled rows and the standardisation on normal windows.</summary>
    /// <param name="rows">Normal training rows, scaled, row-major <c>[n, channels]</c>.</param>
    /// <param name="windows">Normal training windows (scaled, flattened).</param>
    /// <param name="window">Rows per window.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="n1">Index of N1.</param>
    /// <param name="n2">Index of N2.</param>
    /// <param name="extra">(target, predictor) channel pairs: linear terms of other channels in a target's regression.</param>
    /// <param name="ridge">Ridge penalty.</param>
    public static WindowFeatures Fit(float[] rows, IReadOnlyList<float[]> windows, int window, int channels, int n1, int n2, IReadOnlyList<(int Target, int Predictor)> extra, double ridge = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(extra);
        if (window <= RoughBlocks * RoughBlock)
        {
            throw new LabException($"--features residual needs a window longer than {RoughBlocks * RoughBlock} rows (got {window})");
        }

        var n = rows.Length / channels;
        var terms = PolyTerms + channels;
        var coef = new float[terms * channels];
        var phi = new double[terms];
        for (var c = 0; c < channels; c++)
        {
            var mask = TermMask(c, n1, n2, channels, extra);
            var k = mask.Count(m => m);
            var ata = Matrix<double>.Build.Dense(k, k);
            var aty = Vector<double>.Build.Dense(k);
            for (var r = 0; r < n; r++)
            {
                Phi(rows.AsSpan(r * channels, channels), n1, n2, phi);
                var y = rows[(r * channels) + c];
                var i = 0;
                for (var a = 0; a < terms; a++)
                {
                    if (!mask[a])
                    {
                        continue;
                    }

                    aty[i] += phi[a] * y;
                    var j = 0;
                    for (var b = 0; b < terms; b++)
                    {
                        if (mask[b])
                        {
                            ata[i, j] += phi[a] * phi[b];
                            j++;
                        }
                    }

                    i++;
                }
            }

            for (var i = 0; i < k; i++)
            {
                ata[i, i] += ridge * n;
            }

            var sol = ata.Solve(aty);
            var s = 0;
            for (var a = 0; a < terms; a++)
            {
                if (mask[a])
                {
                    coef[(a * channels) + c] = (float)sol[s++];
                }
            }
        }

        var raw = new WindowFeatures(window, channels, n1, n2, coef, new float[channels * PerChannel], Enumerable.Repeat(1f, channels * PerChannel).ToArray());
        var d = raw.Dimension;
        var sum = new double[d];
        var sq = new double[d];
        foreach (var w in windows)
        {
            var f = raw.Compute(w);
            for (var j = 0; j < d; j++)
            {
                sum[j] += f[j];
                sq[j] += (double)f[j] * f[j];
            }
        }

        var mean = new float[d];
        var scale = new float[d];
        for (var j = 0; j < d; j++)
        {
            var m = sum[j] / windows.Count;
            var v = Math.Max((sq[j] / windows.Count) - (m * m), 0);
            mean[j] = (float)m;
            scale[j] = (float)(1 / (Math.Sqrt(v) + 1e-4));
        }

        return new WindowFeatures(window, channels, n1, n2, coef, mean, scale);
    }

    /// <summary>Standardised features of one scaled, flattened window.</summary>
    public float[] Compute(ReadOnlySpan<float> x)
    {
        var w = Window;
        var c = Channels;
        var res = new float[w * c];
        var terms = Terms;
        Span<double> phi = stackalloc double[terms];
        for (var t = 0; t < w; t++)
        {
            Phi(x.Slice(t * c, c), N1, N2, phi);
            for (var ch = 0; ch < c; ch++)
            {
                float pred = 0;
                for (var a = 0; a < terms; a++)
                {
                    pred += (float)phi[a] * Coefficients[(a * c) + ch];
                }

                res[(t * c) + ch] = x[(t * c) + ch] - pred;
            }
        }

        var f = new float[c * PerChannel];
        var tail = RoughBlocks * RoughBlock;
        for (var ch = 0; ch < c; ch++)
        {
            float sum = 0, slope = 0;
            var min = float.PositiveInfinity;
            var max = float.NegativeInfinity;
            for (var t = 0; t < w; t++)
            {
                var r = res[(t * c) + ch];
                sum += r;
                slope += r * Kernel[t];
                if (t > 0)
                {
                }

                min = Math.Min(min, x[(t * c) + ch]);
                max = Math.Max(max, x[(t * c) + ch]);
            }

            f[ch] = sum / w;
            f[c + ch] = slope;
            var rough = float.PositiveInfinity;
            for (var k = 0; k < RoughBlocks; k++)
            {
                float ms = 0;
                for (var j = 0; j < RoughBlock; j++)
                {
                    var t = w - tail + (k * RoughBlock) + j;
                    var d = res[(t * c) + ch] - res[((t - 1) * c) + ch];
                    ms += d * d;
                }

                rough = Math.Min(rough, ms / RoughBlock);
            }

            f[(2 * c) + ch] = MathF.Sqrt(rough);
            f[(3 * c) + ch] = MathF.Log(max - min + RangeFloor);
            float early = 0, late = 0;
            for (var t = 0; t < ChangeBlock; t++)
            {
                early += res[(t * c) + ch];
                late += res[((w - ChangeBlock + t) * c) + ch];
            }

            f[(4 * c) + ch] = (late / ChangeBlock) - (early / ChangeBlock);
        }

        for (var j = 0; j < f.Length; j++)
        {
            f[j] = (f[j] - Mean[j]) * Scale[j];
        }

        return f;
    }

    /// <summary>Appends the feature layer: input <paramref name="input"/> <c>[N, W, C]</c>, output name <c>[N, 5C]</c>.</summary>
    public string Append(OnnxGraphBuilder b, string input)
    {
        ArgumentNullException.ThrowIfNull(b);
        var c = Channels;
        var w = Window;
        var a = b.Node("Gather", [input, b.AddInt64("f_n1", [(long)N1], 1)], "f_a", OnnxGraphBuilder.IntAttr("axis", 2));
        var bb = b.Node("Gather", [input, b.AddInt64("f_n2", [(long)N2], 1)], "f_b", OnnxGraphBuilder.IntAttr("axis", 2));
        var one = b.Node("Add", [b.Node("Mul", [a, b.AddFloat("f_zero", [0f])], "f_a0"), b.AddFloat("f_one", [1f])], "f_1");
        var aa = b.Node("Mul", [a, a], "f_aa");
        var ab = b.Node("Mul", [a, bb], "f_ab");
        var b2 = b.Node("Mul", [bb, bb], "f_bb");
        var a3 = b.Node("Mul", [aa, a], "f_aaa");
        var b3 = b.Node("Mul", [b2, bb], "f_bbb");
        var phi = b.Node("Concat", [one, a, bb, aa, ab, b2, a3, b3, input], "f_phi", OnnxGraphBuilder.IntAttr("axis", 2));
        var pred = b.Node("MatMul", [phi, b.AddFloat("f_coef", Coefficients, Terms, c)], "f_pred");
        var res = b.Node("Sub", [input, pred], "f_res");
        var mean = b.Node("ReduceMean", [res], "f_mean", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var slope = b.Node("ReduceSum", [b.Node("Mul", [res, b.AddFloat("f_kernel", Kernel, w, 1)], "f_kres"), b.AddInt64("f_axis1", [1L], 1)], "f_slope", OnnxGraphBuilder.IntAttr("keepdims", 0));
        var tailLen = (long)(RoughBlocks * RoughBlock);
        var head = b.Node("Slice", [res, b.AddInt64("f_s1", [w - tailLen], 1), b.AddInt64("f_e1", [(long)w], 1), b.AddInt64("f_ax1", [1L], 1)], "f_late");
        var tail = b.Node("Slice", [res, b.AddInt64("f_s0", [w - tailLen - 1], 1), b.AddInt64("f_e0", [(long)(w - 1)], 1), b.AddInt64("f_ax1b", [1L], 1)], "f_early");
        var diff = b.Node("Sub", [head, tail], "f_diff");
        var blocks = b.Node("Reshape", [b.Node("Mul", [diff, diff], "f_diff2"), b.AddInt64("f_blocks", [0L, RoughBlocks, RoughBlock, c], 4)], "f_blocked");
        var blockMs = b.Node("ReduceMean", [blocks], "f_block_ms", OnnxGraphBuilder.IntsAttr("axes", 2), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var rough = b.Node("Sqrt", [b.Node("ReduceMin", [blockMs], "f_min_ms", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 0))], "f_rough");
        var max = b.Node("ReduceMax", [input], "f_max", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var min = b.Node("ReduceMin", [input], "f_min", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var range = b.Node("Log", [b.Node("Add", [b.Node("Sub", [max, min], "f_span"), b.AddFloat("f_floor", [RangeFloor])], "f_span1")], "f_range");
        var first = b.Node("Slice", [res, b.AddInt64("f_c_s0", [0L], 1), b.AddInt64("f_c_e0", [(long)ChangeBlock], 1), b.AddInt64("f_c_ax0", [1L], 1)], "f_first");
        var last = b.Node("Slice", [res, b.AddInt64("f_c_s1", [(long)(w - ChangeBlock)], 1), b.AddInt64("f_c_e1", [(long)w], 1), b.AddInt64("f_c_ax1", [1L], 1)], "f_last");
        var firstMean = b.Node("ReduceMean", [first], "f_first_mean", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var lastMean = b.Node("ReduceMean", [last], "f_last_mean", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var change = b.Node("Sub", [lastMean, firstMean], "f_change");
        var all = b.Node("Concat", [mean, slope, rough, range, change], "f_all", OnnxGraphBuilder.IntAttr("axis", 1));

        var centred = b.Node("Sub", [all, b.AddFloat("f_mu", Mean, Dimension)], "f_centred");
        return b.Node("Mul", [centred, b.AddFloat("f_inv_sd", Scale, Dimension)], "features");
    }

    private static bool[] TermMask(int channel, int n1, int n2, int channels, IReadOnlyList<(int Target, int Predictor)> extra)
    {
        var m = new bool[PolyTerms + channels];
        Array.Fill(m, true, 0, PolyTerms);
        foreach (var (target, predictor) in extra)
        {
            if (target == channel && predictor != channel)
            {
                m[PolyTerms + predictor] = true;
            }
        }

        if (channel == n1)
        {
            m[1] = m[3] = m[4] = m[6] = false;
        }

        if (channel == n2)
        {
            m[2] = m[4] = m[5] = m[7] = false;
        }

        return m;
    }

    private static void Phi(ReadOnlySpan<float> row, int n1, int n2, Span<double> phi)
    {
        double a = row[n1];
        double b = row[n2];
        for (var j = 0; j < row.Length; j++)
        {
            phi[PolyTerms + j] = row[j];
        }

        phi[0] = 1;
        phi[1] = a;
        phi[2] = b;
        phi[3] = a * a;
        phi[4] = a * b;
        phi[5] = b * b;
        phi[6] = a * a * a;
        phi[7] = b * b * b;
    }
}
