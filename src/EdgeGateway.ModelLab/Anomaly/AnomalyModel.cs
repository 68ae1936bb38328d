using EdgeGateway.Core.Models;
using EdgeGateway.ModelLab.Training;

namespace EdgeGateway.ModelLab.Anomaly;

/// <summary>Settings of an anomaly training run.</summary>
/// <param name="Window">Rows per window.</param>
/// <param name="TrainStride">Step between training windows (scoring always uses every row).</param>
/// <param name="Family"><c>auto</c> (compare both, ship the better), <c>pca</c> or <c>ae</c>.</param>
/// <param name="VarianceKept">PCA variance fraction kept.</param>
/// <param name="AeHidden">Autoencoder hidden widths.</param>
/// <param name="MaxEpochs">Autoencoder epoch bound.</param>
/// <param name="BatchSize">Autoencoder batch size.</param>
/// <param name="LearningRate">Autoencoder Adam step.</param>
/// <param name="Patience">Autoencoder early-stopping patience.</param>
/// <param name="Seed">Seed for splits and training.</param>
/// <param name="TargetFalseAlertRate">Per-window false-alert rate on labelled validation normals.</param>
/// <param name="NormalQuantile">Without labels: threshold = this quantile of normal training scores.</param>
/// <param name="RaiseAfter">Debounce: abnormal windows to open an episode.</param>
/// <param name="ClearAfter">Debounce: normal windows to close it.</param>
/// <param name="TrainRows">When &gt; 0, train on the first N rows and evaluate on the rest.</param>
/// <param name="SampleRate">Rows per second of the input, recorded in the manifest.</param>
/// <param name="Features"><c>raw</c> (the detector sees the scaled window) or <c>residual</c> (<see cref="WindowFeatures"/> in front of it).</param>
/// <param name="ResidualInputs">With residual features: extra linear predictors, <c>TARGET:PREDICTOR</c> pairs separated by commas.</param>
/// <param name="Stride">Rows between scored windows, in the lab and on the gateway (the manifest's <c>decision.stride</c>).</param>
/// <param name="EngineSplit">With residual features: comma-separated <c>[-]TARGET:GATE:[=]STEADY[:MARGIN]</c> (TARGET a channel or <c>ln(channel)</c>), each adding an engine-to-engine split term (<see cref="Anomaly.EngineSplit"/>); empty for none.</param>
/// <param name="SplitMargin">A split's limit is its largest value on normal training windows times this (unless its spec gives its own margin).</param>
public sealed record AnomalyConfig(
    int Window = 32,
    int TrainStride = 2,
    string Family = "auto",
    double VarianceKept = 0.99,
    string AeHidden = "48,12,48",
    int MaxEpochs = 40,
    int BatchSize = 128,
    float LearningRate = 2e-3f,
    int Patience = 6,
    ulong Seed = 7,
    double TargetFalseAlertRate = 0.002,
    double NormalQuantile = 0.999,
    int RaiseAfter = 3,
    int ClearAfter = 5,
    int TrainRows = 0,
    double SampleRate = 1,
    string Features = "raw",
    string ResidualInputs = "",
    int Stride = 1,
    string EngineSplit = "",
    double SplitMargin = 1.0)
{
    /// <summary>Autoencoder hidden widths as integers.</summary>
    public int[] AeHiddenSizes => AeHidden.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>A trained detector of one family.</summary>
public sealed class AnomalyDetector
{
    private AnomalyDetector(string family, PcaDetector? pca, Mlp? ae, TrainResult? training, WindowFeatures? features)
    {
        Features = features;
        Family = family;
        Pca = pca;
        Autoencoder = ae;
        Training = training;
    }

    /// <summary>Feature layer in front of the detector (null: the detector sees the scaled window).</summary>
    public WindowFeatures? Features { get; }

    /// <summary><c>pca</c> or <c>ae</c>.</summary>
    public string Family { get; }

    /// <summary>The PCA detector, when <see cref="Family"/> is pca.</summary>
    public PcaDetector? Pca { get; }

    /// <summary>The autoencoder, when <see cref="Family"/> is ae.</summary>
    public Mlp? Autoencoder { get; }

    /// <summary>Autoencoder training history.</summary>
    public TrainResult? Training { get; }

    /// <summary>Wraps a PCA detector.</summary>
    public static AnomalyDetector FromPca(PcaDetector pca, WindowFeatures? features = null) => new("pca", pca, null, null, features);

    /// <summary>Largest standardised feature over its limit: <c>max_j |x_j| / limit_j</c>.</summary>
    public static AnomalyDetector FromMaxAbs(float[] limits, WindowFeatures? features = null) =>
        new("max", null, null, null, features) { InverseLimits = limits.Select(l => 1f / l).ToArray() };

    /// <summary>Per-input inverse limits of the <c>max</c> family.</summary>
    public float[]? InverseLimits { get; private init; }

    /// <summary>Wraps an autoencoder.</summary>
    public static AnomalyDetector FromAutoencoder(Mlp ae, TrainResult training, WindowFeatures? features = null) => new("ae", null, ae, training, features);

    /// <summary>Engine-to-engine split terms combined with the detector's score by max (empty: none).</summary>
    public IReadOnlyList<EngineSplit> Splits { get; private init; } = [];

    /// <summary>The same detector with the split terms <paramref name="splits"/>.</summary>
    public AnomalyDetector WithSplits(IReadOnlyList<EngineSplit> splits) =>
        new(Family, Pca, Autoencoder, Training, Features) { InverseLimits = InverseLimits, Splits = splits };

    /// <summary>Score of one flattened, normalised window: the detector's, or the largest of it and the split terms.</summary>
    public double Score(ReadOnlySpan<float> window)
    {
        var score = Features is null ? ScoreInput(window) : ScoreInput(Features.Compute(window));
        foreach (var split in Splits)
        {
            score = Math.Max(score, split.Term(window));
        }

        return score;
    }

    /// <summary>Score of one detector input (the window, or its features).</summary>
    public double ScoreInput(ReadOnlySpan<float> window)
    {
        if (InverseLimits is { } inv)
        {
            float m = 0;
            for (var j = 0; j < inv.Length; j++)
            {
                m = Math.Max(m, Math.Abs(window[j]) * inv[j]);
            }

            return m;
        }

        if (Pca is not null)
        {
            return Pca.Score(window);
        }

        var ws = Autoencoder!.NewWorkspace();
        var y = Autoencoder.Forward(window, ws);
        double s = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var e = y[i] - window[i];
            s += (double)e * e;
        }

        return s / y.Length;
    }

    /// <summary>ONNX bytes of the detector.</summary>
    public byte[] Export(int window, int channels, bool quantize) => InverseLimits is not null
        ? AnomalyExporter.MaxAbs(InverseLimits, window, channels, Features, Splits)
        : Pca is not null
        ? AnomalyExporter.Pca(Pca, window, channels, quantize, Features, Splits)
        : AnomalyExporter.Autoencoder(Autoencoder!, window, channels, quantize, Features, Splits);
}

/// <summary>A trained anomaly package before writing: scaler, chosen detector, decision rule, comparison.</summary>
/// <param name="Config">Settings.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Scaler">Normalisation.</param>
/// <param name="Detector">The shipped detector.</param>
/// <param name="Decision">Threshold and debounce.</param>
/// <param name="Comparison">Validation figures of every family tried.</param>
/// <param name="AutoencoderTraining">Loss per epoch of the autoencoder when it was trained, shipped or only compared (null when it was not tried).</param>
public sealed record AnomalyModel(AnomalyConfig Config, IReadOnlyList<string> Channels, ScalerSpec Scaler, AnomalyDetector Detector, DecisionSpec Decision, IReadOnlyList<Metric> Comparison, TrainResult? AutoencoderTraining = null);
