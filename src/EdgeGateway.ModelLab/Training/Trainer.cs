namespace EdgeGateway.ModelLab.Training;

/// <summary>Training settings; everything that changes the model's bytes is here.</summary>
/// <param name="MaxEpochs">Upper bound on epochs.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="LearningRate">Adam step size.</param>
/// <param name="Patience">Epochs without validation improvement before stopping.</param>
/// <param name="Seed">Seed for initialisation and shuffling.</param>
/// <param name="WeightDecay">Decoupled (AdamW) weight decay.</param>
public sealed record TrainOptions(int MaxEpochs, int BatchSize, float LearningRate, int Patience, ulong Seed, float WeightDecay = 0f);

/// <summary>One epoch's losses.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="ValidationLoss">Mean loss on the validation set after the epoch.</param>
public sealed record EpochLog(int Epoch, double TrainLoss, double ValidationLoss);

/// <summary>Training outcome; the network holds the weights of <see cref="BestEpoch"/>.</summary>
/// <param name="History">Per-epoch losses.</param>
/// <param name="BestEpoch">Epoch with the lowest validation loss.</param>
/// <param name="BestValidationLoss">That loss.</param>
public sealed record TrainResult(IReadOnlyList<EpochLog> History, int BestEpoch, double BestValidationLoss);

/// <summary>
/// Mini-batch Adam with early stopping on validation loss. Each batch is split into a fixed number
/// of slices processed in parallel, each into its own gradient buffer; the slices are then summed
/// in slice order, so the result does not depend on thread timing or core count.
/// </summary>
public static class Trainer
{
    private const int Slices = 4;
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    /// <summary>Trains <paramref name="net"/> in place.</summary>
    public static TrainResult Train(Mlp net, float[][] xs, float[][] ys, float[][] xv, float[][] yv, TrainOptions o, Action<EpochLog>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentNullException.ThrowIfNull(o);
        var rng = new SplitMix64(o.Seed ^ 0x5DEECE66DUL);
        var order = Enumerable.Range(0, xs.Length).ToArray();
        var grads = Enumerable.Range(0, Slices).Select(_ => net.NewGradients()).ToArray();
        var wss = Enumerable.Range(0, Slices).Select(_ => net.NewWorkspace()).ToArray();
        var dss = Enumerable.Range(0, Slices).Select(_ => net.NewWorkspace()).ToArray();
        var losses = new double[Slices];
        var (mW, mB) = net.NewGradients();
        var (vW, vB) = net.NewGradients();
        var history = new List<EpochLog>();
        var best = double.PositiveInfinity;
        var bestEpoch = 0;
        var bestSnap = net.Snapshot();
        // Bias-correction powers by repeated multiplication: libm's pow may differ between platforms.
        double beta1Pow = 1, beta2Pow = 1;
        for (var epoch = 1; epoch <= o.MaxEpochs; epoch++)
        {
            rng.Shuffle(order);
            double epochLoss = 0;
            var batches = 0;
            for (var start = 0; start < order.Length; start += o.BatchSize)
            {
                var count = Math.Min(o.BatchSize, order.Length - start);
                var scale = 1f / count;
                var per = (count + Slices - 1) / Slices;
                Parallel.For(0, Slices, s =>
                {
                    var (gw, gb) = grads[s];
                    foreach (var g in gw)
                    {
                        Array.Clear(g);
                    }

                    foreach (var g in gb)
                    {
                        Array.Clear(g);
                    }

                    double sum = 0;
                    var end = Math.Min(count, (s + 1) * per);
                    for (var i = s * per; i < end; i++)
                    {
                        var idx = order[start + i];
                        sum += net.Backprop(xs[idx], ys[idx], scale, gw, gb, wss[s], dss[s]);
                    }

                    losses[s] = sum;
                });
                for (var s = 1; s < Slices; s++)
                {
                    for (var l = 0; l < net.W.Length; l++)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(grads[0].GW[l], grads[s].GW[l], grads[0].GW[l]);
                        System.Numerics.Tensors.TensorPrimitives.Add(grads[0].GB[l], grads[s].GB[l], grads[0].GB[l]);
                    }
                }

                beta1Pow *= Beta1;
                beta2Pow *= Beta2;
                var lrT = (float)(o.LearningRate * Math.Sqrt(1.0 - beta2Pow) / (1.0 - beta1Pow));
                for (var l = 0; l < net.W.Length; l++)
                {
                    AdamUpdate(net.W[l], grads[0].GW[l], mW[l], vW[l], lrT, o.LearningRate * o.WeightDecay);
                    AdamUpdate(net.B[l], grads[0].GB[l], mB[l], vB[l], lrT, 0f);
                }

                var batchLoss = 0.0;
                for (var s = 0; s < Slices; s++)
                {
                    batchLoss += losses[s];
                }

                epochLoss += batchLoss / count;
                batches++;
            }

            var val = Evaluate(net, xv, yv);
            var log = new EpochLog(epoch, epochLoss / batches, val);
            history.Add(log);
            onEpoch?.Invoke(log);
            if (val < best)
            {
                best = val;
                bestEpoch = epoch;
                bestSnap = net.Snapshot();
            }
            else if (epoch - bestEpoch >= o.Patience)
            {
                break;
            }
        }

        net.Restore(bestSnap);
        return new TrainResult(history, bestEpoch, best);
    }

    /// <summary>Mean loss over a data set, summed in sample order.</summary>
    public static double Evaluate(Mlp net, float[][] xs, float[][] ys)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        var ws = net.NewWorkspace();
        double sum = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            var y = net.Forward(xs[i], ws);
            double l = 0;
            for (var j = 0; j < y.Length; j++)
            {
                var e = y[j] - ys[i][j];
                l += (double)e * e;
            }

            sum += l / y.Length;
        }

        return xs.Length == 0 ? double.NaN : sum / xs.Length;
    }

    private static void AdamUpdate(float[] p, float[] g, float[] m, float[] v, float lrT, float decay)
    {
        for (var i = 0; i < p.Length; i++)
        {
            var gi = g[i];
            m[i] = (Beta1 * m[i]) + ((1f - Beta1) * gi);
            v[i] = (Beta2 * v[i]) + ((1f - Beta2) * gi * gi);
            p[i] -= (lrT * m[i] / (MathF.Sqrt(v[i]) + Epsilon)) + (decay * p[i]);
        }
    }
}
