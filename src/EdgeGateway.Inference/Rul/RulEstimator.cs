using EdgeGateway.Core.Models;
using EdgeGateway.Inference.Packages;

namespace EdgeGateway.Inference.Rul;

/// <summary>Outcome of a RUL estimate.</summary>
/// <param name="Cycles">Estimated remaining cycles, or null.</param>
/// <param name="HistoryCycles">Snapshots the engine has.</param>
/// <param name="Status">"ok", or why there is no estimate.</param>
public sealed record RulEstimate(double? Cycles, int HistoryCycles, string Status);

/// <summary>
/// Runs a RUL package on the last <c>WindowLength</c> snapshots of an engine: each snapshot row is
/// mapped to the manifest's inputs (<see cref="RulInputMap"/>), normalised with the manifest's
/// scaler using that row's operating settings, and the window goes through the package's session.
/// A package whose manifest gives <c>MinimumRows</c> estimates from that many snapshots on: the
/// window is padded at its start by repeating the oldest snapshot (<see cref="HistoryPadding"/>, as the
/// model lab padded the windows it trained on).
/// </summary>
public sealed class RulEstimator
{
    private readonly ModelPackage _package;

    /// <summary>Creates an estimator over a RUL package.</summary>
    public RulEstimator(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        _package = package;
    }

    /// <summary>Bus parameters a snapshot must carry: channels then settings, mapped.</summary>
    public IReadOnlyList<string> Parameters => [.. _package.Manifest.Input.Channels.Concat(_package.Manifest.Input.Settings).Select(RulInputMap.ParameterOf).Distinct(StringComparer.Ordinal)];

    /// <summary>The package.</summary>
    public ModelPackage Package => _package;

    /// <summary>Estimates from the engine's history.</summary>
    public RulEstimate Estimate(EngineHistory history, string serial)
    {
        ArgumentNullException.ThrowIfNull(history);
        var input = _package.Manifest.Input;
        int have = history.Count(serial);
        if (have < MinimumRows)
        {
            return new RulEstimate(null, have, $"history has {have} of the {MinimumRows} cycles the model needs");
        }

        var rows = history.Last(serial, Math.Min(have, input.WindowLength));
        return new RulEstimate(EstimateWindow(rows.Select(r => r.Values).ToList()), have, "ok");
    }

    /// <summary>Snapshots an estimate needs: the manifest's <c>MinimumRows</c>, or the whole window.</summary>
    public int MinimumRows => _package.Manifest.Input.MinimumRows ?? _package.Manifest.Input.WindowLength;

    /// <summary>
    /// RUL for rows of bus-parameter values, oldest first: <c>WindowLength</c> rows, or from
    /// <see cref="MinimumRows"/> up, padded at the start by repeating the oldest row.
    /// </summary>
    /// <exception cref="ArgumentException">Too few or too many rows, or a row lacks a parameter the model needs.</exception>
    public double EstimateWindow(IReadOnlyList<IReadOnlyDictionary<string, double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var input = _package.Manifest.Input;
        int c = input.Channels.Count;
        int w = input.WindowLength;
        if (rows.Count < MinimumRows || rows.Count > w)
        {
            throw new ArgumentException(MinimumRows == w ? $"{rows.Count} rows given; the model takes {w}" : $"{rows.Count} rows given; the model takes {MinimumRows} to {w}", nameof(rows));
        }

        var model = _package.Model;
        var channels = new double[c];
        var settings = new double[input.Settings.Count];
        for (int t = 0; t < w; t++)
        {
            int r = HistoryPadding.Row(0, rows.Count - 1, w, t);
            for (int i = 0; i < c; i++)
            {
                channels[i] = Value(rows[r], input.Channels[i]);
            }

            for (int i = 0; i < settings.Length; i++)
            {
                settings[i] = Value(rows[r], input.Settings[i]);
            }

            _package.Manifest.Scaler.Normalize(settings, channels, model.Input.AsSpan(t * c, c));
        }

        model.Run(1);
        return model.Output[0];
    }

    private static double Value(IReadOnlyDictionary<string, double> row, string input)
    {
        string p = RulInputMap.ParameterOf(input);
        return row.TryGetValue(p, out double v) ? v : throw new ArgumentException($"snapshot has no '{p}' (model input {input})", nameof(row));
    }
}
