namespace EdgeGateway.ModelLab.Training;

/// <summary>Hidden-layer activation.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x) (smooth; used by the gradient checks).</summary>
    Tanh,
}

/// <summary>
/// Fully connected network: dense layers with <see cref="Hidden"/> activation between them and a
/// linear output. Weights of layer l are <c>W[l]</c>, row-major <c>[in, out]</c> (the layout of an
/// ONNX MatMul/Gemm B input), biases <c>B[l]</c>. Loss is the mean squared error per output.
/// </summary>
public sealed class Mlp
{
    /// <summary>Creates a network with He/Glorot-uniform weights from <paramref name="seed"/> and zero biases.</summary>
    public Mlp(IReadOnlyList<int> sizes, Activation hidden, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2)
        {
            throw new ArgumentException("need at least input and output sizes", nameof(sizes));
        }

        Sizes = [.. sizes];
        Hidden = hidden;
        var rng = new SplitMix64(seed);
        W = new float[sizes.Count - 1][];
        B = new float[sizes.Count - 1][];
        for (var l = 0; l < W.Length; l++)
        {
            var fanIn = sizes[l];
            var fanOut = sizes[l + 1];
            var limit = hidden == Activation.Relu && l < W.Length - 1
                ? Math.Sqrt(6.0 / fanIn)
                : Math.Sqrt(6.0 / (fanIn + fanOut));
            W[l] = new float[fanIn * fanOut];
            for (var i = 0; i < W[l].Length; i++)
            {
                W[l][i] = (float)(((rng.NextDouble() * 2.0) - 1.0) * limit);
            }

            B[l] = new float[fanOut];
        }
    }

    /// <summary>Layer sizes, input first.</summary>
    public int[] Sizes { get; }

    /// <summary>Hidden activation.</summary>
    public Activation Hidden { get; }

    /// <summary>Weights per layer, <c>[in, out]</c> row-major.</summary>
    public float[][] W { get; }

    /// <summary>Biases per layer.</summary>
    public float[][] B { get; }

    /// <summary>Input width.</summary>
    public int InputSize => Sizes[0];

    /// <summary>Output width.</summary>
    public int OutputSize => Sizes[^1];

    /// <summary>A workspace holding per-layer activations for one sample.</summary>
    public float[][] NewWorkspace() => Sizes.Select(s => new float[s]).ToArray();

    /// <summary>Zeroed gradient buffers shaped like the parameters.</summary>
    public (float[][] GW, float[][] GB) NewGradients() =>
        (W.Select(w => new float[w.Length]).ToArray(), B.Select(b => new float[b.Length]).ToArray());

    /// <summary>Forward pass for one sample; the output is <c>ws[^1]</c>.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, float[][] ws)
    {
        ArgumentNullException.ThrowIfNull(ws);
        x.CopyTo(ws[0]);
        for (var l = 0; l < W.Length; l++)
        {
            var input = ws[l];
            var z = ws[l + 1].AsSpan();
            B[l].CopyTo(z);
            var outSize = z.Length;
            var w = W[l];
            for (var k = 0; k < input.Length; k++)
            {
                var a = input[k];
                if (a != 0f)
                {
                    Kernels.Axpy(a, w.AsSpan(k * outSize, outSize), z);
                }
            }

            if (l < W.Length - 1)
            {
                Activate(z);
            }
        }

        return ws[^1];
    }

    /// <summary>Predicts one sample into a new array.</summary>
    public float[] Predict(ReadOnlySpan<float> x) => Forward(x, NewWorkspace()).ToArray();

    /// <summary>
    /// Forward and backward for one sample: adds <c>scale * dLoss/dParam</c> to the gradients and
    /// returns the sample's loss (mean squared error over outputs).
    /// </summary>
    public double Backprop(ReadOnlySpan<float> x, ReadOnlySpan<float> target, float scale, float[][] gw, float[][] gb, float[][] ws, float[][] deltas)
    {
        ArgumentNullException.ThrowIfNull(gw);
        ArgumentNullException.ThrowIfNull(gb);
        ArgumentNullException.ThrowIfNull(deltas);
        var y = Forward(x, ws);
        var d = deltas[^1].AsSpan();
        double loss = 0;
        for (var j = 0; j < y.Length; j++)
        {
            var e = y[j] - target[j];
            loss += (double)e * e;
            d[j] = 2f * e / y.Length;
        }

        for (var l = W.Length - 1; l >= 0; l--)
        {
            var input = ws[l];
            var delta = deltas[l + 1];
            var outSize = delta.Length;
            var w = W[l];
            var g = gw[l];
            for (var j = 0; j < outSize; j++)
            {
                gb[l][j] += scale * delta[j];
            }

            for (var k = 0; k < input.Length; k++)
            {
                var a = input[k];
                if (a != 0f)
                {
                    Kernels.Axpy(scale * a, delta, g.AsSpan(k * outSize, outSize));
                }
            }

            if (l > 0)
            {
                var prev = deltas[l];
                for (var k = 0; k < input.Length; k++)
                {
                    var s = Kernels.Dot(w.AsSpan(k * outSize, outSize), delta);
                    prev[k] = s * Derivative(input[k]);
                }
            }
        }

        return loss / y.Length;
    }

    /// <summary>Deep copy of the parameters.</summary>
    public (float[][] W, float[][] B) Snapshot() =>
        (W.Select(w => (float[])w.Clone()).ToArray(), B.Select(b => (float[])b.Clone()).ToArray());

    /// <summary>Restores parameters from a snapshot.</summary>
    public void Restore((float[][] W, float[][] B) snap)
    {
        for (var l = 0; l < W.Length; l++)
        {
            snap.W[l].CopyTo(W[l], 0);
            snap.B[l].CopyTo(B[l], 0);
        }
    }

    private void Activate(Span<float> z)
    {
        if (Hidden == Activation.Relu)
        {
            System.Numerics.Tensors.TensorPrimitives.Max(z, 0f, z);
        }
        else
        {
            for (var i = 0; i < z.Length; i++)
            {
                z[i] = MathF.Tanh(z[i]);
            }
        }
    }

    // Derivative expressed through the activation's output a = f(z).
    private float Derivative(float a) => Hidden == Activation.Relu ? (a > 0f ? 1f : 0f) : 1f - (a * a);
}
