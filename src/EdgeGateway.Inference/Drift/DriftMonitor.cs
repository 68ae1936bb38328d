using EdgeGateway.Core.Models;

namespace EdgeGateway.Inference.Drift;

/// <summary>Drift of one model input over a landing.</summary>
/// <param name="Channel">Model input name.</param>
/// <param name="Values">Values counted.</param>
/// <param name="Psi">Population stability index against the manifest baseline (NaN when no value was counted).</param>
/// <param name="Mean">Mean of the landing's values.</param>
/// <param name="BaselineMean">Training mean.</param>
/// <param name="Notice">True when <see cref="Psi"/> is above the configured notice threshold.</param>
public sealed record ChannelDrift(string Channel, long Values, double Psi, double Mean, double BaselineMean, bool Notice);

/// <summary>
/// Population stability index per model input: the landing's values are binned with the
/// manifest baseline's edges (values beyond the outer edges fall in the outer bins) and
/// PSI = sum over bins of (p - q) ln(p / q), p the landing's fraction and q the baseline's, each
/// floored at <see cref="FractionFloor"/> so an empty bin does not make it infinite. The usual
/// reading: below 0.1 stable, 0.1-0.25 moderate, above 0.25 a significant shift. A notice needs
/// the configured threshold and, when the package records one, the input's
/// <see cref="ChannelBaseline.NoticePsi"/> (the most any normal training landing differed).
/// Counting is allocation-free.
/// </summary>
public sealed class DriftMonitor
{
    /// <summary>Floor of a bin fraction in the PSI sum.</summary>
    public const double FractionFloor = PopulationStability.FractionFloor;

    private readonly ChannelBaseline[] _baselines;
    private readonly double[][] _edges;
    private readonly long[][] _counts;
    private readonly double[] _sums;
    private readonly long[] _n;
    private readonly double _noticePsi;

    /// <summary>Creates a monitor over the manifest's baselines.</summary>
    public DriftMonitor(IReadOnlyList<ChannelBaseline> baselines, double noticePsi)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        _baselines = [.. baselines];
        _edges = [.. _baselines.Select(b => b.Edges.ToArray())];
        _counts = [.. _baselines.Select(b => new long[b.Fractions.Count])];
        _sums = new double[_baselines.Length];
        _n = new long[_baselines.Length];
        _noticePsi = noticePsi;
    }

    /// <summary>Baseline index of channel <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => Array.FindIndex(_baselines, b => string.Equals(b.Channel, name, StringComparison.Ordinal));

    /// <summary>Counts values of baseline <paramref name="index"/>; NaN (gaps) is ignored.</summary>
    public void Add(int index, ReadOnlySpan<float> values)
    {
        var edges = _edges[index];
        var counts = _counts[index];
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            counts[PopulationStability.Bin(edges, v)]++;
            _sums[index] += v;
            _n[index]++;
        }
    }

    /// <summary>PSI per baseline channel.</summary>
    public IReadOnlyList<ChannelDrift> Results()
    {
        var result = new List<ChannelDrift>(_baselines.Length);
        for (int i = 0; i < _baselines.Length; i++)
        {
            double psi = PopulationStability.Psi(_counts[i], _baselines[i].Fractions);
            double mean = _n[i] == 0 ? double.NaN : _sums[i] / _n[i];
            double limit = _baselines[i].NoticePsi is double trained ? Math.Max(trained, _noticePsi) : _noticePsi;
            result.Add(new ChannelDrift(_baselines[i].Channel, _n[i], psi, mean, _baselines[i].Mean, psi > limit));
        }

        return result;
    }
}
