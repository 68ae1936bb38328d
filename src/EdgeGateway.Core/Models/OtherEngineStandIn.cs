using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Models;

/// <summary>
/// What an anomaly window does when an input of the aircraft's other engine (<c>P@other</c>) holds a
/// gap: every <c>P@other</c> column of the window (they stand in together) takes the engine's own
/// <c>P</c>, mapped into <c>P@other</c>'s scaled units, instead of the window being skipped. The
/// engine-to-engine splits then see no change between the engines (a split whose target came from
/// the other engine but whose thrust gate did not would lose its thrust-mismatch correction), and
/// nothing else reads the other engine's inputs, so a dead sensor on one engine does not stop the
/// other engine's scoring: the window is scored on the engine alone. The gateway's window builder
/// (<see cref="WindowBuilder.SetStandIn"/>) and the model lab apply the same rule with the same
/// arithmetic (<see cref="WindowBuilder.StandIn"/>).
/// </summary>
public static class OtherEngineStandIn
{
    /// <summary>Suffix of an input that is a parameter of the aircraft's other engine.</summary>
    public const string Suffix = "@other";

    /// <summary>True for an input named <c>P@other</c> (see <see cref="Suffix"/>).</summary>
    public static bool IsOtherEngineInput(string input) =>
        input is not null && input.Length > Suffix.Length && input.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>The stand-ins of a model's inputs: each <c>P@other</c> column with the column of <c>P</c>.</summary>
    public static IReadOnlyList<(int Column, int Source)> Pairs(IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var pairs = new List<(int, int)>();
        for (int c = 0; c < channels.Count; c++)
        {
            var name = channels[c];
            if (!IsOtherEngineInput(name))
            {
                continue;
            }

            int source = IndexOf(channels, name[..^Suffix.Length]);
            if (source >= 0)
            {
                pairs.Add((c, source));
            }
        }

        return pairs;
    }

    /// <summary>
    /// The map from <paramref name="source"/>'s scaled units to <paramref name="column"/>'s with one
    /// regime (no settings): <c>scale = std[source] / std[column]</c>, <c>offset = (mean[source] - mean[column]) / std[column]</c>.
    /// With settings the window holds raw values and the stand-in is the raw value (scale 1, offset 0),
    /// normalised afterwards with the column's own regime mean and deviation.
    /// </summary>
    public static (double Scale, double Offset) ScaledMap(ScalerSpec scaler, int column, int source)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        var mean = scaler.ChannelMean[0];
        var std = scaler.ChannelStd[0];
        return (std[source] / std[column], (mean[source] - mean[column]) / std[column]);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
