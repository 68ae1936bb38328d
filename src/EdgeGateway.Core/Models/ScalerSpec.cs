namespace EdgeGateway.Core.Models;

/// <summary>
/// Normalisation per operating regime. The regime of a row is the nearest centroid of its
/// operating settings after standardising them with <see cref="SettingMean"/>/<see cref="SettingStd"/>;
/// each channel is then standardised with that regime's mean and standard deviation. With no
/// settings there is one regime. The gateway and the lab both call <see cref="Normalize"/>.
/// </summary>
/// <param name="SettingMean">Mean of each operating setting.</param>
/// <param name="SettingStd">Standard deviation of each setting (1 where constant).</param>
/// <param name="Centroids">Regime centroids in standardised setting space.</param>
/// <param name="ChannelMean">Per regime, per channel mean.</param>
/// <param name="ChannelStd">Per regime, per channel standard deviation (floored, never 0).</param>
public sealed record ScalerSpec(
    IReadOnlyList<double> SettingMean,
    IReadOnlyList<double> SettingStd,
    IReadOnlyList<IReadOnlyList<double>> Centroids,
    IReadOnlyList<IReadOnlyList<double>> ChannelMean,
    IReadOnlyList<IReadOnlyList<double>> ChannelStd)
{
    /// <summary>Number of regimes.</summary>
    public int RegimeCount => ChannelMean.Count;

    /// <summary>The regime of a row given its operating settings.</summary>
    public int Regime(ReadOnlySpan<double> settings)
    {
        if (Centroids.Count <= 1 || settings.Length == 0)
        {
            return 0;
        }

        var best = 0;
        var bestD = double.PositiveInfinity;
        for (var c = 0; c < Centroids.Count; c++)
        {
            double d = 0;
            for (var j = 0; j < settings.Length; j++)
            {
                var z = ((settings[j] - SettingMean[j]) / SettingStd[j]) - Centroids[c][j];
                d += z * z;
            }

            if (d < bestD)
            {
                bestD = d;
                best = c;
            }
        }

        return best;
    }

    /// <summary>Writes the normalised channels of one row into <paramref name="destination"/>.</summary>
    public void Normalize(ReadOnlySpan<double> settings, ReadOnlySpan<double> channels, Span<float> destination)
    {
        var r = Regime(settings);
        var mean = ChannelMean[r];
        var std = ChannelStd[r];
        for (var c = 0; c < channels.Length; c++)
        {
            destination[c] = (float)((channels[c] - mean[c]) / std[c]);
        }
    }
}
