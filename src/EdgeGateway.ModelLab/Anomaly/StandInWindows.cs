using EdgeGateway.Core.Conditioning;
using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>
/// Copies scored windows out of normalised rows the way the gateway's window builder builds them:
/// a window holding a gap in an input of the other engine (<c>P@other</c>) takes, in every such
/// column, the engine's own <c>P</c> in <c>P@other</c>'s scaled units (<see cref="OtherEngineStandIn"/>),
/// with the gateway's arithmetic. Which windows are scored at all is <see cref="AnomalyTrainer.ScoredEnds"/>
/// (no gap in the engine's own channels, <see cref="Dataset.RequiredGap"/>).
/// </summary>
public sealed class StandInWindows
{
    private readonly float[] _norm;
    private readonly int _channels;
    private readonly (int Column, int Source, int[] GapsBefore, float[] Value)[] _pairs;

    /// <summary>Prepares the stand-ins of <paramref name="ds"/>'s companion columns.</summary>
    /// <param name="ds">The data.</param>
    /// <param name="norm">Its rows normalised with <paramref name="scaler"/> (<see cref="Rul.RulTrainer.NormalizeRows"/>).</param>
    /// <param name="settings">Operating setting columns of the scaler (none: one regime, stand-ins mapped in scaled units).</param>
    /// <param name="scaler">The package's scaler.</param>
    public StandInWindows(Dataset ds, float[] norm, IReadOnlyList<string> settings, ScalerSpec scaler)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(norm);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scaler);
        _norm = norm;
        _channels = ds.Channels.Length;
        var rows = ds.RowCount;
        // With settings, the regime of each row (the gateway normalises a raw stand-in with the
        // column's regime mean and deviation).
        var regime = new int[settings.Count == 0 ? 0 : rows];
        if (settings.Count > 0)
        {
            var settingCols = settings.Select(ds.Table.Numbers).ToArray();
            var s = new double[settings.Count];
            for (var r = 0; r < rows; r++)
            {
                for (var j = 0; j < s.Length; j++)
                {
                    s[j] = settingCols[j][r];
                }

                regime[r] = scaler.Regime(s);
            }
        }

        _pairs = [.. OtherEngineStandIn.Pairs(ds.Roles.Channels).Select(p =>
        {
            // Gaps of the companion column before each row (prefix count), and its stand-in value per row.
            var gaps = new int[rows + 1];
            var value = new float[rows];
            var (scale, offset) = settings.Count == 0 ? OtherEngineStandIn.ScaledMap(scaler, p.Column, p.Source) : (1.0, 0.0);
            for (var r = 0; r < rows; r++)
            {
                gaps[r + 1] = gaps[r] + (double.IsNaN(ds.Channels[p.Column][r]) ? 1 : 0);
                if (settings.Count == 0)
                {
                    value[r] = WindowBuilder.StandIn(norm[(r * _channels) + p.Source], scale, offset);
                }
                else
                {
                    var g = regime[r];
                    value[r] = (float)((ds.Channels[p.Source][r] - scaler.ChannelMean[g][p.Column]) / scaler.ChannelStd[g][p.Column]);
                }
            }

            return (p.Column, p.Source, gaps, value);
        })];
    }

    /// <summary>True when the data has inputs of the other engine with their engine's own parameter beside them.</summary>
    public bool HasOtherEngineInputs => _pairs.Length > 0;

    /// <summary>Windows copied with at least one stand-in column.</summary>
    public int WindowsWithStandIn { get; private set; }

    /// <summary>Copies the window of <paramref name="window"/> rows ending at row <paramref name="end"/> into <paramref name="destination"/>.</summary>
    public void Copy(int end, int window, Span<float> destination)
    {
        var first = end - window + 1;
        _norm.AsSpan(first * _channels, window * _channels).CopyTo(destination);
        // The other engine's inputs stand in together: a window missing one is scored without any.
        var gap = false;
        foreach (var pair in _pairs)
        {
            gap |= pair.GapsBefore[end + 1] != pair.GapsBefore[first];
        }

        if (!gap)
        {
            return;
        }

        foreach (var (column, _, _, value) in _pairs)
        {
            for (var r = 0; r < window; r++)
            {
                destination[(r * _channels) + column] = value[first + r];
            }
        }

        WindowsWithStandIn++;
    }

    /// <summary>
    /// Copies the window ending at row <paramref name="end"/> with every other-engine column stood in
    /// for, gap or not: the window scored on the engine alone (the gateway's <c>raisedAloneScore</c>).
    /// Not counted in <see cref="WindowsWithStandIn"/>.
    /// </summary>
    public void CopyAlone(int end, int window, Span<float> destination)
    {
        var first = end - window + 1;
        _norm.AsSpan(first * _channels, window * _channels).CopyTo(destination);
        foreach (var (column, _, _, value) in _pairs)
        {
            for (var r = 0; r < window; r++)
            {
                destination[(r * _channels) + column] = value[first + r];
            }
        }
    }
}
