using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Data;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Rul;

/// <summary>Settings of a RUL training run; all of them change the model's bytes.</summary>
/// <param name="Window">Cycles per window.</param>
/// <param name="Cap">Piecewise-linear target cap (cycles).</param>
/// <param name="Hidden">Hidden layer widths.</param>
/// <param name="MaxEpochs">Upper bound on epochs.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="LearningRate">Adam step.</param>
/// <param name="Patience">Early-stopping patience (epochs).</param>
/// <param name="Seed">Seed for regimes, split, initialisation and shuffling.</param>
/// <param name="ValidationFraction">Fraction of training units held out for early stopping.</param>
/// <param name="Regimes">Operating regimes; 0 chooses by clustering the settings.</param>
/// <param name="WeightDecay">AdamW decay.</param>
/// <param name="Basis">Project each window onto <see cref="TemporalBasis"/> before the network.</param>
/// <param name="Members">Networks in the ensemble (each with its own seed and validation units); predictions are averaged.</param>
/// <param name="MinHistory">
/// Cycles of history a prediction needs (0: the window). Below the window, the window is padded at its
/// start by repeating the unit's first cycle (<see cref="RulTrainer.WindowRow"/>), so a longer window
/// does not raise the history an estimate needs; training windows end from this cycle on.
/// </param>
public sealed record RulConfig(
    int Window = 30,
    double Cap = 125,
    string Hidden = "32,16",
    int MaxEpochs = 150,
    int BatchSize = 256,
    float LearningRate = 1e-3f,
    int Patience = 15,
    ulong Seed = 17,
    double ValidationFraction = 0.15,
    int Regimes = 0,
    float WeightDecay = 0f,
    bool Basis = true,
    int Members = 5,
    int MinHistory = 0)
{
    /// <summary>Cycles of history a prediction needs: <see cref="MinHistory"/>, or the window when 0.</summary>
    public int MinRows => MinHistory > 0 ? MinHistory : Window;

    /// <summary>Hidden widths as integers.</summary>
    public int[] HiddenSizes => Hidden.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>A trained RUL model: scaler, network and training history.</summary>
/// <param name="Config">Training settings.</param>
/// <param name="Channels">Input channel names.</param>
/// <param name="Settings">Operating-setting column names.</param>
/// <param name="Scaler">Per-regime normalisation.</param>
/// <param name="Nets">The ensemble's networks (each predicts RUL / cap).</param>
/// <param name="Trainings">Loss history per network.</param>
/// <param name="ValidationUnits">Units used for early stopping, per network.</param>
public sealed record RulModel(
    RulConfig Config,
    IReadOnlyList<string> Channels,
    IReadOnlyList<string> Settings,
    ScalerSpec Scaler,
    IReadOnlyList<Mlp> Nets,
    IReadOnlyList<TrainResult> Trainings,
    IReadOnlyList<IReadOnlyList<string>> ValidationUnits)
{
    /// <summary>Normalised channels of every row, row-major <c>[rows, channels]</c>.</summary>
    public float[] Normalize(Dataset ds, LabTable table)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(table);
        return RulTrainer.NormalizeRows(ds, table, Settings, Scaler);
    }

    /// <summary>Predicts RUL (cycles) for the window ending at each unit's last row.</summary>
    public IReadOnlyList<(string Unit, int LastRow, float Predicted)> PredictLastCycle(Dataset ds, LabTable table)
    {
        var norm = Normalize(ds, table);
        var c = Channels.Count;
        var result = new List<(string, int, float)>();
        foreach (var (unit, start, length) in ds.GroupRuns())
        {
            var end = start + length - 1;
            result.Add((unit, end, PredictWindow(RulTrainer.Window(norm, c, start, end, Config.Window))));
        }

        return result;
    }

    /// <summary>RUL (cycles) for one normalised window, row-major <c>[window, channels]</c>.</summary>
    public float PredictWindow(ReadOnlySpan<float> window)
    {
        var input = RulTrainer.Features(window, Channels.Count, Config);
        var sum = 0f;
        foreach (var net in Nets)
        {
            sum += net.Predict(input)[0];
        }

        return sum * (float)(Config.Cap / Nets.Count);
    }
}
