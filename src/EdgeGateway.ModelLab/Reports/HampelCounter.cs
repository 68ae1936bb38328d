namespace EdgeGateway.ModelLab.Reports;

/// <summary>
/// Counts spikes the Hampel rule would replace: a point is a spike when it is more than
/// <c>nSigma</c> x 1.4826 x MAD from the median of the centred window of <c>2k+1</c> points.
/// A small offline helper for EDA reports only; the gateway's conditioning chain has its own filter.
/// </summary>
public static class HampelCounter
{
    /// <summary>Indices of spikes in <paramref name="x"/>.</summary>
    public static List<int> Spikes(ReadOnlySpan<double> x, int halfWindow = 5, double nSigma = 3)
    {
        var spikes = new List<int>();
        var buf = new double[(2 * halfWindow) + 1];
        var dev = new double[buf.Length];
        for (var i = halfWindow; i < x.Length - halfWindow; i++)
        {
            x.Slice(i - halfWindow, buf.Length).CopyTo(buf);
            var med = Median(buf);
            for (var j = 0; j < buf.Length; j++)
            {
                dev[j] = Math.Abs(buf[j] - med);
            }

            var sigma = 1.4826 * Median(dev);
            if (sigma > 0 && Math.Abs(x[i] - med) > nSigma * sigma)
            {
                spikes.Add(i);
            }
        }

        return spikes;
    }

    private static double Median(double[] v)
    {
        var s = (double[])v.Clone();
        Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }
}
