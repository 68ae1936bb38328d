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
        int n = input.WindowLength;
        int have = history.Count(serial);
        if (have < n)
        {
            return new RulEstimate(null, have, $"history has {have} of the {n} cycles the model needs");
        }

        var rows = history.Last(serial, n);
        return new RulEstimate(EstimateWindow(rows.Select(r => r.Values).ToList()), have, "ok");
    }

    /// <summary>RUL for rows of bus-parameter values, oldest first (exactly <c>WindowLength</c> rows).</summary>
    /// <exception cref="ArgumentException">A row lacks a parameter the model needs.</exception>
    public double EstimateWindow(IReadOnlyList<IReadOnlyDictionary<string, double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var input = _package.Manifest.Input;
        int c = input.Channels.Count;
        if (rows.Count != input.WindowLength)
        {
            throw new ArgumentException($"{rows.Count} rows given; the model takes {input.WindowLength}", nameof(rows));
        }

        var model = _package.Model;
        var channels = new double[c];
        var settings = new double[input.Settings.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int i = 0; i < c; i++)
            {
                channels[i] = Value(rows[r], input.Channels[i]);
            }

            for (int i = 0; i < settings.Length; i++)
            {
                settings[i] = Value(rows[r], input.Settings[i]);
            }

            _package.Manifest.Scaler.Normalize(settings, channels, model.Input.AsSpan(r * c, c));
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
