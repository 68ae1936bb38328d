using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Tests;

public class MlpTests
{
    private static float[] RandomVector(SplitMix64 rng, int n) =>
        Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();

    private static double Loss(Mlp net, float[] x, float[] t)
    {
        var y = net.Predict(x);
        double s = 0;
        for (var j = 0; j < y.Length; j++)
        {
            s += ((double)y[j] - t[j]) * ((double)y[j] - t[j]);
        }

        return s / y.Length;
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    public void Backprop_FiniteDifferences_MatchAnalyticGradient(Activation activation)
    {
        var rng = new SplitMix64(3);
        var net = new Mlp([5, 7, 4, 3], activation, 11);
        var x = RandomVector(rng, 5);
        var t = RandomVector(rng, 3);
        var (gw, gb) = net.NewGradients();
        net.Backprop(x, t, 1f, gw, gb, net.NewWorkspace(), net.NewWorkspace());
        const float h = 1e-2f;
        var checkedCount = 0;
        for (var l = 0; l < net.W.Length; l++)
        {
            foreach (var (p, g) in new[] { (net.W[l], gw[l]), (net.B[l], gb[l]) })
            {
                for (var i = 0; i < p.Length; i++)
                {
                    var keep = p[i];
                    p[i] = keep + h;
                    var up = Loss(net, x, t);
                    p[i] = keep - h;
                    var down = Loss(net, x, t);
                    p[i] = keep;
                    var numeric = (up - down) / (2 * h);
                    var tolerance = 2e-3 + (2e-2 * Math.Abs(numeric));
                    if (activation == Activation.Relu && Math.Abs(numeric - g[i]) > tolerance)
                    {
                        // A ReLU kink inside [-h, h] makes the central difference meaningless; skip that parameter.
                        continue;
                    }

                    Assert.True(Math.Abs(numeric - g[i]) <= tolerance, $"layer {l} param {i}: numeric {numeric}, analytic {g[i]}");
                    checkedCount++;
                }
            }
        }

        Assert.True(checkedCount > 60, $"only {checkedCount} parameters checked");
    }

    [Fact]
    public void Train_SameSeedTwice_IdenticalWeights()
    {
        var (xs, ys) = Regression(400, 1);
        var (xv, yv) = Regression(100, 2);
        var options = new TrainOptions(6, 32, 0.01f, 3, 42);
        var a = new Mlp([4, 8, 1], Activation.Relu, 42);
        var b = new Mlp([4, 8, 1], Activation.Relu, 42);
        var ra = Trainer.Train(a, xs, ys, xv, yv, options);
        var rb = Trainer.Train(b, xs, ys, xv, yv, options);
        Assert.Equal(ra.History, rb.History);
        for (var l = 0; l < a.W.Length; l++)
        {
            Assert.Equal(a.W[l], b.W[l]);
            Assert.Equal(a.B[l], b.B[l]);
        }
    }

    [Fact]
    public void Train_LearnableFunction_ValidationLossFalls()
    {
        var (xs, ys) = Regression(800, 1);
        var (xv, yv) = Regression(200, 2);
        var net = new Mlp([4, 16, 1], Activation.Relu, 5);
        var before = Trainer.Evaluate(net, xv, yv);
        var r = Trainer.Train(net, xs, ys, xv, yv, new TrainOptions(40, 32, 0.01f, 5, 5));
        Assert.True(r.BestValidationLoss < before / 5, $"before {before}, after {r.BestValidationLoss}");
        Assert.Equal(r.BestValidationLoss, Trainer.Evaluate(net, xv, yv), 12);
    }

    [Fact]
    public void Dot_OddLengths_MatchesScalarSum()
    {
        var rng = new SplitMix64(9);
        foreach (var n in new[] { 1, 7, 8, 9, 33 })
        {
            var x = RandomVector(rng, n);
            var y = RandomVector(rng, n);
            double expected = 0;
            for (var i = 0; i < n; i++)
            {
                expected += x[i] * y[i];
            }

            Assert.Equal(expected, Kernels.Dot(x, y), 4);
        }
    }

    internal static (float[][] X, float[][] Y) Regression(int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var x = new float[n][];
        var y = new float[n][];
        for (var i = 0; i < n; i++)
        {
            x[i] = RandomVector(rng, 4);
            y[i] = [(float)((0.5 * x[i][0]) - (x[i][1] * x[i][2]) + Math.Abs(x[i][3]))];
        }

        return (x, y);
    }
}
