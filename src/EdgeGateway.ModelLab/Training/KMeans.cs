namespace EdgeGateway.ModelLab.Training;

/// <summary>
/// Lloyd's k-means with k-means++ seeding from <see cref="SplitMix64"/>; used to find operating
/// regimes in the operating settings. Points are visited in index order and ties go to the lowest
/// cluster, so the result is fixed by the data and the seed.
/// </summary>
public static class KMeans
{
    /// <summary>Clusters <paramref name="points"/> into <paramref name="k"/> groups; returns centroids and assignments.</summary>
    public static (double[][] Centroids, int[] Assignment, double Sse) Fit(double[][] points, int k, ulong seed, int maxIterations = 100)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Length;
        var dim = points[0].Length;
        var rng = new SplitMix64(seed);
        var centroids = new double[k][];
        centroids[0] = (double[])points[rng.Next(n)].Clone();
        var d2 = new double[n];
        for (var c = 1; c < k; c++)
        {
            double total = 0;
            for (var i = 0; i < n; i++)
            {
                d2[i] = double.PositiveInfinity;
                for (var j = 0; j < c; j++)
                {
                    d2[i] = Math.Min(d2[i], Distance2(points[i], centroids[j]));
                }

                total += d2[i];
            }

            var target = rng.NextDouble() * total;
            var pick = n - 1;
            double acc = 0;
            for (var i = 0; i < n; i++)
            {
                acc += d2[i];
                if (acc >= target && d2[i] > 0)
                {
                    pick = i;
                    break;
                }
            }

            centroids[c] = (double[])points[pick].Clone();
        }

        var assign = new int[n];
        double sse = 0;
        for (var it = 0; it < maxIterations; it++)
        {
            var changed = false;
            sse = 0;
            for (var i = 0; i < n; i++)
            {
                var best = 0;
                var bestD = Distance2(points[i], centroids[0]);
                for (var c = 1; c < k; c++)
                {
                    var d = Distance2(points[i], centroids[c]);
                    if (d < bestD)
                    {
                        bestD = d;
                        best = c;
                    }
                }

                changed |= assign[i] != best || it == 0;
                assign[i] = best;
                sse += bestD;
            }

            if (!changed)
            {
                break;
            }

            var sums = new double[k][];
            var counts = new int[k];
            for (var c = 0; c < k; c++)
            {
                sums[c] = new double[dim];
            }

            for (var i = 0; i < n; i++)
            {
                counts[assign[i]]++;
                for (var d = 0; d < dim; d++)
                {
                    sums[assign[i]][d] += points[i][d];
                }
            }

            for (var c = 0; c < k; c++)
            {
                if (counts[c] > 0)
                {
                    for (var d = 0; d < dim; d++)
                    {
                        centroids[c][d] = sums[c][d] / counts[c];
                    }
                }
            }
        }

        return (centroids, assign, sse);
    }

    /// <summary>Index of the nearest centroid.</summary>
    public static int Nearest(double[][] centroids, ReadOnlySpan<double> point)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        var best = 0;
        var bestD = double.PositiveInfinity;
        for (var c = 0; c < centroids.Length; c++)
        {
            double d = 0;
            for (var j = 0; j < point.Length; j++)
            {
                var e = point[j] - centroids[c][j];
                d += e * e;
            }

            if (d < bestD)
            {
                bestD = d;
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// Picks the number of regimes: the largest k in 2..<paramref name="maxK"/> whose clusters are
    /// separated by at least <paramref name="separation"/> times their largest RMS radius, else 1.
    /// Flight conditions (altitude, Mach, throttle) form tight, far-apart clusters; sensor noise on a
    /// single condition never does.
    /// </summary>
    public static int ChooseK(double[][] points, ulong seed, int maxK = 8, double separation = 10)
    {
        ArgumentNullException.ThrowIfNull(points);
        var chosen = 1;
        for (var k = 2; k <= maxK && k <= points.Length; k++)
        {
            var (centroids, assign, _) = Fit(points, k, seed);
            var radius2 = new double[k];
            var counts = new int[k];
            for (var i = 0; i < points.Length; i++)
            {
                radius2[assign[i]] += Distance2(points[i], centroids[assign[i]]);
                counts[assign[i]]++;
            }

            var maxRadius = 0.0;
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    maxRadius = double.PositiveInfinity;
                    break;
                }

                maxRadius = Math.Max(maxRadius, Math.Sqrt(radius2[c] / counts[c]));
            }

            var minGap = double.PositiveInfinity;
            for (var a = 0; a < k; a++)
            {
                for (var b = a + 1; b < k; b++)
                {
                    minGap = Math.Min(minGap, Math.Sqrt(Distance2(centroids[a], centroids[b])));
                }
            }

            if (minGap >= separation * Math.Max(maxRadius, 1e-12))
            {
                chosen = k;
            }
        }

        return chosen;
    }

    private static double Distance2(double[] a, double[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            s += d * d;
        }

        return s;
    }
}
