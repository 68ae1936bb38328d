using MathNet.Numerics.LinearAlgebra;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>
/// PCA on flattened normal windows. Hotelling's T-squared measures distance inside the retained
/// subspace, Q (squared prediction error) the distance from it; each is divided by its
/// <see cref="LimitQuantile"/> on the training windows and the score is the larger of the two, so
/// 1.0 means "as unusual as the 99th percentile of normal data". Eigen-decomposition by
/// MathNet.Numerics.
/// </summary>
public sealed class PcaDetector
{
    /// <summary>Quantile of training scores used to normalise T-squared and Q.</summary>
    public const double LimitQuantile = 0.99;

    private PcaDetector(float[] mean, float[] components, float[] eigenvalues, int dim, int k, double t2Limit, double qLimit)
    {
        Mean = mean;
        Components = components;
        Eigenvalues = eigenvalues;
        Dimension = dim;
        Rank = k;
        T2Limit = t2Limit;
        QLimit = qLimit;
    }

    /// <summary>Mean window, length <see cref="Dimension"/>.</summary>
    public float[] Mean { get; }

    /// <summary>Principal directions, row-major <c>[Dimension, Rank]</c>.</summary>
    public float[] Components { get; }

    /// <summary>Variance along each direction.</summary>
    public float[] Eigenvalues { get; }

    /// <summary>Input width.</summary>
    public int Dimension { get; }

    /// <summary>Retained components.</summary>
    public int Rank { get; }

    /// <summary>T-squared normaliser.</summary>
    public double T2Limit { get; }

    /// <summary>Q normaliser.</summary>
    public double QLimit { get; }

    /// <summary>Fits on windows; keeps components up to <paramref name="varianceKept"/> of the variance.</summary>
    public static PcaDetector Fit(float[][] windows, double varianceKept = 0.95, int maxRank = 64)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var n = windows.Length;
        var d = windows[0].Length;
        var mean = new double[d];
        foreach (var w in windows)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += w[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        var cov = Matrix<double>.Build.Dense(d, d);
        var centered = new double[d];
        foreach (var w in windows)
        {
            for (var j = 0; j < d; j++)
            {
                centered[j] = w[j] - mean[j];
            }

            for (var a = 0; a < d; a++)
            {
                var ca = centered[a];
                for (var b = a; b < d; b++)
                {
                    cov[a, b] += ca * centered[b];
                }
            }
        }

        for (var a = 0; a < d; a++)
        {
            for (var b = a; b < d; b++)
            {
                var v = cov[a, b] / (n - 1);
                cov[a, b] = v;
                cov[b, a] = v;
            }
        }

        var evd = cov.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, d).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var total = values.Where(v => v > 0).Sum();
        var k = 0;
        double acc = 0;
        while (k < Math.Min(maxRank, d) && acc < varianceKept * total)
        {
            acc += values[order[k]];
            k++;
        }

        k = Math.Max(1, k);
        var comps = new float[d * k];
        var eig = new float[k];
        for (var c = 0; c < k; c++)
        {
            var col = evd.EigenVectors.Column(order[c]);

            // Fix each eigenvector's sign (largest entry positive) so the bytes do not depend on the solver's choice.
            var maxAt = 0;
            for (var j = 1; j < d; j++)
            {
                if (Math.Abs(col[j]) > Math.Abs(col[maxAt]))
                {
                    maxAt = j;
                }
            }

            var sign = col[maxAt] < 0 ? -1.0 : 1.0;
            for (var j = 0; j < d; j++)
            {
                comps[(j * k) + c] = (float)(sign * col[j]);
            }

            eig[c] = (float)Math.Max(values[order[c]], 1e-9);
        }

        var meanF = mean.Select(v => (float)v).ToArray();
        var raw = new PcaDetector(meanF, comps, eig, d, k, 1, 1);
        var t2 = new double[n];
        var q = new double[n];
        for (var i = 0; i < n; i++)
        {
            (t2[i], q[i]) = raw.Statistics(windows[i]);
        }

        return new PcaDetector(meanF, comps, eig, d, k, Math.Max(Quantile(t2, LimitQuantile), 1e-9), Math.Max(Quantile(q, LimitQuantile), 1e-9));
    }

    /// <summary>T-squared and Q of one window.</summary>
    public (double T2, double Q) Statistics(ReadOnlySpan<float> x)
    {
        Span<float> centered = stackalloc float[Dimension];
        for (var j = 0; j < Dimension; j++)
        {
            centered[j] = x[j] - Mean[j];
        }

        Span<float> z = stackalloc float[Rank];
        for (var j = 0; j < Dimension; j++)
        {
            Training.Kernels.Axpy(centered[j], Components.AsSpan(j * Rank, Rank), z);
        }

        double t2 = 0;
        for (var c = 0; c < Rank; c++)
        {
            t2 += (double)z[c] * z[c] / Eigenvalues[c];
        }

        double q = 0;
        for (var j = 0; j < Dimension; j++)
        {
            var r = centered[j] - Training.Kernels.Dot(Components.AsSpan(j * Rank, Rank), z);
            q += (double)r * r;
        }

        return (t2, q);
    }

    /// <summary>Score: max(T2 / T2Limit, Q / QLimit).</summary>
    public double Score(ReadOnlySpan<float> x)
    {
        var (t2, q) = Statistics(x);
        return Math.Max(t2 / T2Limit, q / QLimit);
    }

    /// <summary>Empirical quantile (linear interpolation) of a copy of <paramref name="values"/>.</summary>
    public static double Quantile(IReadOnlyList<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        var s = values.ToArray();
        Array.Sort(s);
        if (s.Length == 0)
        {
            return double.NaN;
        }

        var pos = p * (s.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + ((pos - lo) * (s[hi] - s[lo]));
    }
}
