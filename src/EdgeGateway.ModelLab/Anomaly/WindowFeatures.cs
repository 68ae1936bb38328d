using EdgeGateway.ModelLab.Onnx;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>
/// Fixed feature layer in front of the detector, fitted on normal data and exported into the same
/// ONNX graph, so the gateway still feeds the scaled <c>[window, channels]</c> of one engine.
/// Each channel's residual against what the engine's operating point predicts (ridge regression on
/// cubic polynomial terms of N1 and N2, plus optional linear terms of named other channels, e.g.
/// fuel flow for EGT as a proxy of altitude; N1 is predicted without N1 terms and N2 without N2
/// terms), then per channel over the window, in this order: residual mean (level shifts: EGT
/// margin, oil loss, bias), residual slope (a fixed time kernel: slow drifts, wear), the change
/// (residual mean over the last <see cref="ChangeBlock"/> rows minus that over the first: a step
/// within the flight, whatever the engine's own offset); these three are one MatMul of fixed time
/// weights with the residuals. Then roughness: the smallest of <see cref="RoughBlocks"/> RMS values
/// of the residual's first differences over consecutive blocks of <see cref="RoughBlock"/> rows at
/// the end of the window (a noise burst raises every block, a few seconds of turbulence only one or
/// two), and the log of the scaled range (a stuck sensor has none). The features
/// are standardised with their mean and deviation on normal training windows.
/// Companion inputs (<c>P@other</c>, <see cref="EngineSplit"/>) come after the engine's own
/// channels and get no features of their own: their residual, roughness or range would show the
/// other engine's faults on this one.
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

    private readonly float[] _timeWeights;

    private WindowFeatures(int window, int channels, int own, int n1, int n2, float[] coefficients, float[] mean, float[] scale)
    {
        Window = window;
        Channels = channels;
        Own = own;
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

        _timeWeights = TimeWeights();
    }

    /// <summary>Rows per window.</summary>
    public int Window { get; }

    /// <summary>Name of the time-last window <c>[N, C, W]</c> that <see cref="Append"/> forms (every input channel).</summary>
    public const string TimeLastName = "f_xt";

    /// <summary>Name of the time weights <c>[W, 3]</c> (mean, slope, change) that <see cref="Append"/> forms.</summary>
    public const string TimeWeightsName = "f_time_weights";

    /// <summary>Blocks of first differences whose smallest RMS is the roughness feature.</summary>
    public const int RoughBlocks = 4;

    /// <summary>Rows per roughness block.</summary>
    public const int RoughBlock = 10;

    /// <summary>Regression terms: the polynomial ones and one per channel.</summary>
    public int Terms => PolyTerms + Channels;

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>The engine's own channels, the first <see cref="Own"/> inputs: those that get features (the rest are companion inputs).</summary>
    public int Own { get; }

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
    public int Dimension => Own * PerChannel;

    /// <summary>Fits the residual model on normal scaled rows and the standardisation on normal windows.</summary>
    /// <param name="rows">Normal training rows, scaled, row-major <c>[n, channels]</c>.</param>
    /// <param name="windows">Normal training windows (scaled, flattened).</param>
    /// <param name="window">Rows per window.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="n1">Index of N1.</param>
    /// <param name="n2">Index of N2.</param>
    /// <param name="extra">(target, predictor) channel pairs: linear terms of other channels in a target's regression.</param>
    /// <param name="ridge">Ridge penalty.</param>
    /// <param name="own">The engine's own channels (the first ones; the rest are companion inputs without features); all when negative.</param>
    public static WindowFeatures Fit(float[] rows, IReadOnlyList<float[]> windows, int window, int channels, int n1, int n2, IReadOnlyList<(int Target, int Predictor)> extra, double ridge = 1e-3, int own = -1)
    {
        own = own < 0 ? channels : own;
        if (own > channels || n1 >= own || n2 >= own)
        {
            throw new LabException($"--features residual: N1 and N2 must be among the engine's own {own} channel(s) of {channels}");
        }

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
        for (var c = 0; c < own; c++)
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

        var raw = new WindowFeatures(window, channels, own, n1, n2, coef, new float[own * PerChannel], Enumerable.Repeat(1f, own * PerChannel).ToArray());
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

        return new WindowFeatures(window, channels, own, n1, n2, coef, mean, scale);
    }

    /// <summary>Standardised features of one scaled, flattened window.</summary>
    public float[] Compute(ReadOnlySpan<float> x)
    {
        var w = Window;
        var c = Channels;
        var own = Own;
        var res = new float[w * c];
        var terms = Terms;
        Span<double> phi = stackalloc double[terms];
        for (var t = 0; t < w; t++)
        {
            Phi(x.Slice(t * c, c), N1, N2, phi);
            for (var ch = 0; ch < own; ch++)
            {
                float pred = 0;
                for (var a = 0; a < terms; a++)
                {
                    pred += (float)phi[a] * Coefficients[(a * c) + ch];
                }

                res[(t * c) + ch] = x[(t * c) + ch] - pred;
            }
        }

        var f = new float[own * PerChannel];
        var weights = _timeWeights;
        var tail = RoughBlocks * RoughBlock;
        for (var ch = 0; ch < own; ch++)
        {
            float sum = 0, slope = 0, change = 0;
            var min = float.PositiveInfinity;
            var max = float.NegativeInfinity;
            for (var t = 0; t < w; t++)
            {
                var r = res[(t * c) + ch];
                sum += weights[t] * r;
                slope += weights[w + t] * r;
                change += weights[(2 * w) + t] * r;
                min = Math.Min(min, x[(t * c) + ch]);
                max = Math.Max(max, x[(t * c) + ch]);
            }

            f[ch] = sum;
            f[own + ch] = slope;
            f[(2 * own) + ch] = change;
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

            f[(3 * own) + ch] = MathF.Sqrt(rough);
            f[(4 * own) + ch] = MathF.Log(max - min + RangeFloor);
        }

        for (var j = 0; j < f.Length; j++)
        {
            f[j] = (f[j] - Mean[j]) * Scale[j];
        }

        return f;
    }

    /// <summary>
    /// Appends the feature layer: input <paramref name="input"/> <c>[N, W, C]</c>, output name <c>[N, 5 Own]</c>.
    /// The residual is linear in the regression terms phi (res = phi D with D = [0; I] - coefficients),
    /// so the graph never forms it over the whole window: the time weights T give mean, slope and
    /// change as (T phi) D, a <c>[3, Terms]</c> product per window, and the roughness needs residual
    /// differences only over the last <see cref="RoughBlocks"/> x <see cref="RoughBlock"/> + 1 rows,
    /// (phi_t - phi_t-1) D there. The window is turned time-last (<c>[N, C, W]</c>) once so every
    /// Concat, Slice and Reduce works on whole rows of W values; the constant term of phi is a bias
    /// (row sums of T times its coefficients) and drops out of the differences. T itself is built
    /// from a Range node (<see cref="AppendTimeWeights"/>), which ONNX Runtime folds at load.
    /// </summary>
    public string Append(OnnxGraphBuilder b, string input)
    {
        ArgumentNullException.ThrowIfNull(b);
        var c = Own;
        var w = Window;

        // phi^T without its constant term, [N, 16, W]: a, b, a^2, b^2, ab, a^3, b^3, then the channels.
        var xt = b.Node("Transpose", [input], TimeLastName, OnnxGraphBuilder.IntsAttr("perm", 0, 2, 1));
        var g = b.Node("Gather", [xt, b.AddInt64("f_ab_index", [(long)N1, (long)N2], 2)], "f_g", OnnxGraphBuilder.IntAttr("axis", 1));
        var g2 = b.Node("Mul", [g, g], "f_g2");
        var ab = b.Node("ReduceProd", [g], "f_gab", OnnxGraphBuilder.IntsAttr("axes", 1), OnnxGraphBuilder.IntAttr("keepdims", 1));
        var g3 = b.Node("Mul", [g2, g], "f_g3");
        var phi = b.Node("Concat", [g, g2, ab, g3, xt], "f_phi", OnnxGraphBuilder.IntAttr("axis", 1));
        var (d, bias) = ResidualMatrix();
        var dm = b.AddFloat("f_d", d, GraphTerms.Length, c);

        // Mean, slope and change: (phi^T T^T)^T D plus the constant term's share, [N, 3, C] -> [N, 3C].
        var tt = AppendTimeWeights(b);
        var sums = b.Node("Transpose", [b.Node("MatMul", [phi, tt], "f_phi_t")], "f_t_phi", OnnxGraphBuilder.IntsAttr("perm", 0, 2, 1));
        var rowSums = b.Node("Transpose", [b.Node("ReduceSum", [tt, b.AddInt64("f_axis0", [0L], 1)], "f_t_sums", OnnxGraphBuilder.IntAttr("keepdims", 1))], "f_t_sums_col", OnnxGraphBuilder.IntsAttr("perm", 1, 0));
        var constant = b.Node("Mul", [rowSums, b.AddFloat("f_d0", bias, c)], "f_const");
        var linear3 = b.Node("Add", [b.Node("MatMul", [sums, dm], "f_t_res"), constant], "f_linear3");
        var linear = b.Node("Reshape", [linear3, b.AddInt64("f_sums_shape", [0L, 3L * c], 2)], "f_linear");

        // Roughness: first differences of the residual over the last blocks, D^T (phi_t - phi_t-1), [N, C, blocks * rows].
        var tailLen = (long)(RoughBlocks * RoughBlock);
        var late = b.Node("Slice", [phi, b.AddInt64("f_s1", [w - tailLen], 1), b.AddInt64("f_e1", [(long)w], 1), b.AddInt64("f_axis2", [2L], 1)], "f_late");
        var early = b.Node("Slice", [phi, b.AddInt64("f_s0", [w - tailLen - 1], 1), b.AddInt64("f_e0", [(long)(w - 1)], 1), "f_axis2"], "f_early");
        var dt = b.Node("Transpose", [dm], "f_dt", OnnxGraphBuilder.IntsAttr("perm", 1, 0));
        var diff = b.Node("MatMul", [dt, b.Node("Sub", [late, early], "f_dphi")], "f_diff");
        var blocks = b.Node("Reshape", [b.Node("Mul", [diff, diff], "f_diff2"), b.AddInt64("f_blocks", [0L, c, RoughBlocks, RoughBlock], 4)], "f_blocked");
        var blockMs = b.Node("ReduceMean", [blocks], "f_block_ms", OnnxGraphBuilder.IntsAttr("axes", 3), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var rough = b.Node("Sqrt", [b.Node("ReduceMin", [blockMs], "f_min_ms", OnnxGraphBuilder.IntsAttr("axes", 2), OnnxGraphBuilder.IntAttr("keepdims", 0))], "f_rough");

        // Log range of the raw window (the engine's own channels).
        var ownXt = c == Channels ? xt : b.Node("Slice", [xt, b.AddInt64("f_own_start", [0L], 1), b.AddInt64("f_own_end", [(long)c], 1), b.AddInt64("f_axis1", [1L], 1)], "f_xt_own");
        var max = b.Node("ReduceMax", [ownXt], "f_max", OnnxGraphBuilder.IntsAttr("axes", 2), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var min = b.Node("ReduceMin", [ownXt], "f_min", OnnxGraphBuilder.IntsAttr("axes", 2), OnnxGraphBuilder.IntAttr("keepdims", 0));
        var range = b.Node("Log", [b.Node("Add", [b.Node("Sub", [max, min], "f_span"), b.AddFloat("f_floor", [RangeFloor])], "f_span1")], "f_range");
        var all = b.Node("Concat", [linear, rough, range], "f_all", OnnxGraphBuilder.IntAttr("axis", 1));
        var centred = b.Node("Sub", [all, b.AddFloat("f_mu", Mean, Dimension)], "f_centred");
        return b.Node("Mul", [centred, b.AddFloat("f_inv_sd", Scale, Dimension)], "features");
    }

    /// <summary>
    /// Appends nodes computing the time weights transposed, <c>[Window, 3]</c> (columns: mean, slope,
    /// change; the same values as <see cref="TimeWeights"/> within float rounding), from a Range over
    /// the window's rows; returns the output name. Every input is a constant, so ONNX Runtime folds
    /// the nodes into one tensor when it loads the model.
    /// </summary>
    public string AppendTimeWeights(OnnxGraphBuilder b)
    {
        ArgumentNullException.ThrowIfNull(b);
        var w = Window;
        double norm = 0;
        for (var t = 0; t < w; t++)
        {
            var v = t - ((w - 1) / 2.0);
            norm += v * v;
        }

        var t0 = b.Node("Range", [b.AddFloat("f_t_start", [0f]), b.AddFloat("f_t_limit", [w]), b.AddFloat("f_t_delta", [1f])], "f_t");
        var mean = b.Node("Add", [b.Node("Mul", [t0, b.AddFloat("f_t_zero", [0f])], "f_t0"), b.AddFloat("f_t_mean", [1f / w])], "f_w_mean");
        var slope = b.Node("Mul", [b.Node("Sub", [t0, b.AddFloat("f_t_mid", [(float)((w - 1) / 2.0)])], "f_t_centred"), b.AddFloat("f_t_norm", [(float)(1 / Math.Sqrt(Math.Max(norm, 1e-12)))])], "f_w_slope");
        var last = b.Node("Cast", [b.Node("GreaterOrEqual", [t0, b.AddFloat("f_t_last", [w - ChangeBlock])], "f_t_is_last")], "f_t_last_f", OnnxGraphBuilder.IntAttr("to", 1));
        var first = b.Node("Cast", [b.Node("Less", [t0, b.AddFloat("f_t_first", [ChangeBlock])], "f_t_is_first")], "f_t_first_f", OnnxGraphBuilder.IntAttr("to", 1));
        var change = b.Node("Mul", [b.Node("Sub", [last, first], "f_t_step"), b.AddFloat("f_t_block", [1f / ChangeBlock])], "f_w_change");
        var axis = b.AddInt64("f_t_axis", [1L], 1);
        return b.Node(
            "Concat",
            [b.Node("Unsqueeze", [mean, axis], "f_w_mean1"), b.Node("Unsqueeze", [slope, axis], "f_w_slope1"), b.Node("Unsqueeze", [change, axis], "f_w_change1")],
            TimeWeightsName,
            OnnxGraphBuilder.IntAttr("axis", 1));
    }

    /// <summary>
    /// Time weights <c>[3, Window]</c>: the mean (1/W), the slope kernel, and the change (-1/B over the
    /// first B rows, +1/B over the last B, B = <see cref="ChangeBlock"/>).
    /// </summary>
    public float[] TimeWeights()
    {
        var w = Window;
        var weights = new float[3 * w];
        for (var t = 0; t < w; t++)
        {
            weights[t] = 1f / w;
            weights[w + t] = Kernel[t];
        }

        for (var t = 0; t < ChangeBlock; t++)
        {
            weights[(2 * w) + t] -= 1f / ChangeBlock;
            weights[(2 * w) + w - ChangeBlock + t] += 1f / ChangeBlock;
        }

        return weights;
    }

    /// <summary>
    /// The residual as a linear map of the graph's terms (<see cref="GraphTerms"/> order):
    /// res = phi D + d0, D = [0; I] - coefficients, d0 = -(the constant term's coefficients).
    /// </summary>
    private (float[] D, float[] Bias) ResidualMatrix()
    {
        var c = Own;
        var d = new float[GraphTerms.Length * c];
        for (var r = 0; r < GraphTerms.Length; r++)
        {
            var term = GraphTerms[r];
            for (var ch = 0; ch < c; ch++)
            {
                d[(r * c) + ch] = (term == PolyTerms + ch ? 1f : 0f) - Coefficients[(term * Channels) + ch];
            }
        }

        var bias = new float[c];
        for (var ch = 0; ch < c; ch++)
        {
            bias[ch] = -Coefficients[ch];
        }

        return (d, bias);
    }

    /// <summary>Regression term (index into <see cref="Coefficients"/> rows) of each row of the graph's phi: a, b, a^2, b^2, ab, a^3, b^3, channels.</summary>
    private int[] GraphTerms => [1, 2, 3, 5, 4, 6, 7, .. Enumerable.Range(PolyTerms, Channels)];

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
