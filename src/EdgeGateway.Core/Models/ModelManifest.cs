using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGateway.Core.Models;

/// <summary>
/// The manifest of a model package (<c>manifest.json</c>): everything the gateway needs to feed
/// the model and judge its output, and everything a reviewer needs to trust it. Contract version
/// <see cref="CurrentFormat"/>; fields are only ever added. Serialised with
/// <see cref="ManifestJson"/>, which gives the same bytes for the same content (no clock, no
/// unordered maps: every collection is a list in a defined order).
/// </summary>
/// <param name="Format">Manifest format version.</param>
/// <param name="Name">Package name, e.g. <c>rul-cmapss</c>.</param>
/// <param name="Kind"><c>rul</c> or <c>anomaly</c>.</param>
/// <param name="Description">One sentence on what the model does.</param>
/// <param name="Files">ONNX files of the package with their SHA-256.</param>
/// <param name="Input">Channels, their order, the window and the rate.</param>
/// <param name="Scaler">Normalisation applied before the model.</param>
/// <param name="Output">What the model's output means.</param>
/// <param name="Decision">Threshold and debounce (anomaly models), or null.</param>
/// <param name="Training">Provenance: data hash, sources, licence, seed, code version, command.</param>
/// <param name="Metrics">Evaluation figures, ordered by name.</param>
/// <param name="Baselines">Per-input histograms of the training data, for drift monitoring.</param>
/// <param name="SelfTest">An input window and the output the fp32 model must give for it.</param>
public sealed record ModelManifest(
    int Format,
    string Name,
    string Kind,
    string Description,
    IReadOnlyList<ModelFile> Files,
    InputSpec Input,
    ScalerSpec Scaler,
    OutputSpec Output,
    DecisionSpec? Decision,
    TrainingSpec Training,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<ChannelBaseline> Baselines,
    SelfTestVector SelfTest)
{
    /// <summary>The manifest format this code writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The metric with the given name, or null.</summary>
    public double? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value;
}

/// <summary>An ONNX file in the package.</summary>
/// <param name="Role"><c>fp32</c> or <c>int8</c>.</param>
/// <param name="Path">File name inside the package folder.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
/// <param name="Bytes">File size.</param>
public sealed record ModelFile(string Role, string Path, string Sha256, long Bytes);

/// <summary>Model input.</summary>
/// <param name="Channels">Channel names in the order of the input tensor's last axis.</param>
/// <param name="Settings">Operating-setting columns used to pick the regime (may be empty).</param>
/// <param name="WindowLength">Rows per window (the input tensor is <c>[N, WindowLength, Channels]</c>).</param>
/// <param name="SampleRate">Rows per <see cref="RateUnit"/>.</param>
/// <param name="RateUnit"><c>hertz</c> or <c>per-cycle</c>.</param>
/// <param name="TensorName">Name of the ONNX input.</param>
/// <param name="MinimumRows">
/// Rows of history a prediction needs when fewer than <paramref name="WindowLength"/> (RUL packages):
/// with at least this many, the window is padded at its start by repeating the oldest row. Absent:
/// the whole window is needed.
/// </param>
public sealed record InputSpec(
    IReadOnlyList<string> Channels,
    IReadOnlyList<string> Settings,
    int WindowLength,
    double SampleRate,
    string RateUnit,
    string TensorName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MinimumRows = null);

/// <summary>Model output.</summary>
/// <param name="TensorName">Name of the ONNX output.</param>
/// <param name="Meaning">e.g. <c>remaining useful life</c> or <c>anomaly score</c>.</param>
/// <param name="Unit">e.g. <c>cycles</c> or <c>score</c>.</param>
public sealed record OutputSpec(string TensorName, string Meaning, string Unit);

/// <summary>A named evaluation figure.</summary>
/// <param name="Name">Metric name, e.g. <c>test.FD001.rmse</c>.</param>
/// <param name="Value">Value.</param>
public sealed record Metric(string Name, double Value);

/// <summary>Threshold and debounce for turning window scores into alert episodes.</summary>
/// <param name="Threshold">Score above which a window is abnormal.</param>
/// <param name="ThresholdMethod">How the threshold was chosen.</param>
/// <param name="Debounce">Episode rules, counted in scored windows.</param>
/// <param name="Stride">
/// Grid samples between the starts of consecutive scored windows (1 = a window ending at every grid
/// point). Windows are phased from the first grid point where every channel has a value; the model
/// lab scores and debounces exactly these windows, so the lab and the gateway decide alike.
/// </param>
public sealed record DecisionSpec(double Threshold, string ThresholdMethod, DebounceSpec Debounce, int Stride = 1);

/// <summary>
/// Debounce: an episode opens after <paramref name="RaiseAfter"/> consecutive abnormal windows and
/// closes after <paramref name="ClearAfter"/> consecutive normal ones.
/// </summary>
/// <param name="RaiseAfter">Consecutive abnormal windows to open an episode.</param>
/// <param name="ClearAfter">Consecutive normal windows to close it.</param>
public sealed record DebounceSpec(int RaiseAfter, int ClearAfter);

/// <summary>Where the model came from.</summary>
/// <param name="DataHash">SHA-256 of the training table (see the lab's Dataset.ContentHash).</param>
/// <param name="Sources">Input files with their SHA-256.</param>
/// <param name="Rows">Training rows.</param>
/// <param name="Groups">Training groups (units, flights).</param>
/// <param name="Provenance">Who produced the data and how to cite it.</param>
/// <param name="Licence">Licence or terms of the data.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="CodeVersion">Version of the code that trained the model (git tree of the lab).</param>
/// <param name="Command">Arguments that reproduce the training.</param>
/// <param name="Columns">Every column the extraction returned (checked against the release allow-list).</param>
public sealed record TrainingSpec(
    string DataHash,
    IReadOnlyList<SourceFile> Sources,
    int Rows,
    int Groups,
    string Provenance,
    string Licence,
    ulong Seed,
    string CodeVersion,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Columns);

/// <summary>A data file used for training.</summary>
/// <param name="Path">Path as given to the lab (relative where possible).</param>
/// <param name="Sha256">File SHA-256.</param>
public sealed record SourceFile(string Path, string Sha256);

/// <summary>Histogram of one input over the training data.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="Edges">Bin edges (count + 1 values), in raw units.</param>
/// <param name="Fractions">Fraction of training rows per bin.</param>
/// <param name="Mean">Training mean.</param>
/// <param name="Std">Training standard deviation.</param>
/// <param name="NoticePsi">
/// The highest PSI of one normal training landing (group) against this histogram, or null when the
/// lab had no groups: a landing must differ more than any normal landing the model was trained on
/// before drift is noticed (landings differ by length and profile, so a fixed PSI limit notices
/// nearly every landing).
/// </param>
public sealed record ChannelBaseline(string Channel, IReadOnlyList<double> Edges, IReadOnlyList<double> Fractions, double Mean, double Std, double? NoticePsi = null);

/// <summary>Known input and output of the fp32 model, checked at load time.</summary>
/// <param name="Input">Normalised input window, flattened row-major <c>[WindowLength, Channels]</c>.</param>
/// <param name="Expected">Expected output values.</param>
/// <param name="Tolerance">Absolute tolerance.</param>
public sealed record SelfTestVector(IReadOnlyList<float> Input, IReadOnlyList<float> Expected, double Tolerance);

/// <summary>Byte-stable JSON for manifests.</summary>
public static class ManifestJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,

        // Plain text stays readable ("+dirty", quotes in citations); the file is never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises with LF line endings and a final newline.</summary>
    public static byte[] Serialize(ModelManifest manifest)
    {
        var text = JsonSerializer.Serialize(manifest, s_options).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        return System.Text.Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Parses a manifest; throws <see cref="InvalidDataException"/> naming <paramref name="source"/> when it is not one.</summary>
    public static ModelManifest Deserialize(ReadOnlySpan<byte> json, string source)
    {
        ModelManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<ModelManifest>(json, s_options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not a model manifest ({ex.Message})", ex);
        }

        if (m is null || m.Format != ModelManifest.CurrentFormat)
        {
            throw new InvalidDataException($"{source}: manifest format {m?.Format} is not {ModelManifest.CurrentFormat}");
        }

        return m;
    }
}
