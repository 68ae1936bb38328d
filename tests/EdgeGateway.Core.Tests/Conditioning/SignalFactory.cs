namespace EdgeGateway.Core.Tests.Conditioning;

/// <summary>Seeded test signals: noise, steps, spikes, NaN and infinity runs, constant runs, signed zeros.</summary>
internal static class SignalFactory
{
    public static float[] Nasty(int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        float level = 0f;
        for (int i = 0; i < length; i++)
        {
            if (rng.NextDouble() < 0.01)
            {
                level = (float)(rng.NextDouble() * 100 - 50); // a real step
            }

            x[i] = level + (float)(rng.NextDouble() - 0.5);
        }

        for (int i = 0; i < length; i++)
        {
            double r = rng.NextDouble();
            if (r < 0.03)
            {
                x[i] += (float)((rng.NextDouble() < 0.5 ? -1 : 1) * (20 + rng.NextDouble() * 200)); // spike
            }
            else if (r < 0.035)
            {
                x[i] = float.NaN;
            }
            else if (r < 0.037)
            {
                x[i] = rng.NextDouble() < 0.5 ? float.PositiveInfinity : float.NegativeInfinity;
            }
            else if (r < 0.045)
            {
                int run = rng.Next(2, 12);
                float c = rng.NextDouble() < 0.3 ? (rng.NextDouble() < 0.5 ? -0f : 0f) : MathF.Round(x[i]);
                for (int j = i; j < Math.Min(length, i + run); j++)
                {
                    x[j] = c; // constant run (MAD = 0), sometimes of signed zeros
                }

                i += run;
            }
            else if (r < 0.047)
            {
                int run = rng.Next(2, 20);
                for (int j = i; j < Math.Min(length, i + run); j++)
                {
                    x[j] = float.NaN; // a gap
                }

                i += run;
            }
        }

        return x;
    }

    /// <summary>Values drawn from a tiny alphabet: every tie pattern of a small window shows up.</summary>
    public static float[] Ties(int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = rng.Next(3) switch { 0 => 0f, 1 => -0f, _ => 1f };
        }

        return x;
    }

    /// <summary>Splits <paramref name="length"/> into random chunk sizes (1 to <paramref name="maxChunk"/>), with empty chunks now and then.</summary>
    public static List<int> Chunking(int length, int maxChunk, int seed)
    {
        var rng = new Random(seed);
        var sizes = new List<int>();
        int left = length;
        while (left > 0)
        {
            int n = rng.NextDouble() < 0.05 ? 0 : Math.Min(left, rng.Next(1, maxChunk + 1));
            sizes.Add(n);
            left -= n;
        }

        return sizes;
    }

    public static void AssertBitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            int e = BitConverter.SingleToInt32Bits(expected[i]);
            int a = BitConverter.SingleToInt32Bits(actual[i]);
            if (e != a)
            {
                Assert.Fail($"index {i}: expected {expected[i]} (0x{e:X8}), actual {actual[i]} (0x{a:X8})");
            }
        }
    }
}
