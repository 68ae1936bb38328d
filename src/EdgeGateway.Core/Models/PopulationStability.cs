namespace EdgeGateway.Core.Models;

/// <summary>
/// Population stability index (PSI) of a set of values against a <see cref="ChannelBaseline"/>
/// histogram: the model lab computes the baselines and their notice limits with it, the gateway's
/// drift monitor compares a landing with it, so both bin and sum alike.
/// </summary>
public static class PopulationStability
{
    /// <summary>Smallest fraction used for a bin, so an empty bin does not make the index infinite.</summary>
    public const double FractionFloor = 1e-4;

    /// <summary>Bin of <paramref name="value"/> for bin edges <paramref name="edges"/> (bins + 1 values); values outside fall into the end bins.</summary>
    public static int Bin(double[] edges, double value)
    {
        ArgumentNullException.ThrowIfNull(edges);
        int bins = edges.Length - 1;
        int bin = Array.BinarySearch(edges, 1, bins - 1, value);
        bin = bin >= 0 ? bin : ~bin - 1;
        return Math.Clamp(bin, 0, bins - 1);
    }

    /// <summary>PSI of observed bin counts against expected fractions; NaN when nothing was counted.</summary>
    public static double Psi(ReadOnlySpan<long> counts, IReadOnlyList<double> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        long total = 0;
        foreach (long c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return double.NaN;
        }

        double psi = 0;
        for (int b = 0; b < counts.Length; b++)
        {
            double p = Math.Max((double)counts[b] / total, FractionFloor);
            double q = Math.Max(expected[b], FractionFloor);
            psi += (p - q) * Math.Log(p / q);
        }

        return psi;
    }
}
