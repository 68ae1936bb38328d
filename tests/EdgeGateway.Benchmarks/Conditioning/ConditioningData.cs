using EdgeGateway.Core.Conditioning;
namespace EdgeGateway.Benchmarks.Conditioning;

/// <summary>The benchmark signal: a noisy sine with 0.1 % spikes, like scipy_median.py's.</summary>
internal static class ConditioningData
{
    /// <summary>Samples in the Hampel comparison with SciPy.</summary>
    public const int HampelSamples = 20_000_000;

    public static float[] NoisySine(int length, int seed = 42)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            // Box-Muller for Gaussian noise with sigma 0.5.
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            double noise = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * 0.5;
            x[i] = (float)((Math.Sin(i * 0.001) * 10.0) + noise);
            if (rng.NextDouble() < 0.001)
            {
                x[i] += 25f;
            }
        }

        return x;
    }

    /// <summary>Timestamps in ticks for one sample every <paramref name="period"/> with +/-10 % jitter.</summary>
    public static long[] JitteredTicks(int length, TimeSpan period, int seed = 7)
    {
        var rng = new Random(seed);
        var t = new long[length];
        long p = period.Ticks;
        for (int i = 0; i < length; i++)
        {
            t[i] = (i * p) + (long)((rng.NextDouble() - 0.5) * 0.2 * p);
        }

        return t;
    }

    /// <summary>
    /// Feeds <paramref name="data"/> to the first <paramref name="channels"/> columns of
    /// <paramref name="builder"/> in 1024-sample chunks from grid index <paramref name="first"/>,
    /// building every window that completes. Returns the windows built.
    /// </summary>
    public static int FeedWindows(WindowBuilder builder, float[] window, float[] data, long first, int channels)
    {
        int built = 0;
        for (int i = 0; i < data.Length; i += 1024)
        {
            for (int c = 0; c < channels; c++)
            {
                builder.Append(c, first + i, data.AsSpan(i, 1024));
            }

            while (builder.TryBuild(window, out _))
            {
                built++;
            }
        }

        return built;
    }
}
