using System.Globalization;
using EdgeGateway.Core.Models;
using EdgeGateway.Inference.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace EdgeGateway.Inference.Packages;

/// <summary>Model kinds the gateway runs.</summary>
public static class ModelKinds
{
    /// <summary>Window anomaly score, debounced into episodes.</summary>
    public const string Anomaly = "anomaly";

    /// <summary>Remaining useful life from the engine's snapshot history.</summary>
    public const string Rul = "rul";
}

/// <summary>
/// A verified, self-tested model package with its ONNX Runtime session. Created only by
/// <see cref="ModelPackage.Load"/>, which refuses (with the reason) a package whose hash or
/// signature does not verify or whose self-test fails.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    private readonly List<OnnxModel> _lanes = [];
    private readonly Stack<OnnxModel> _idleLanes = new();
    private bool _disposed;

    private ModelPackage(string folder, ModelManifest manifest, ModelFile file, OnnxModel model, double selfTestError)
    {
        Folder = folder;
        Manifest = manifest;
        ScoringFile = file;
        Model = model;
        SelfTestError = selfTestError;
    }

    /// <summary>Package folder.</summary>
    public string Folder { get; }

    /// <summary>The verified manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The ONNX file that scores (int8 or fp32).</summary>
    public ModelFile ScoringFile { get; }

    /// <summary>The session over <see cref="ScoringFile"/>.</summary>
    public OnnxModel Model { get; }

    /// <summary>Largest absolute difference of the fp32 self-test output from the expected values.</summary>
    public double SelfTestError { get; }

    /// <summary>Short identity for messages and summaries: name, kind, file role and the first hex digits of its hash.</summary>
    public string Id => $"{Manifest.Name}/{ScoringFile.Role}@{ScoringFile.Sha256[..12]}";

    /// <summary>
    /// Verifies and loads a package: SHA-256 of every file and the detached ECDSA signature against
    /// <paramref name="trustedKeyFiles"/> (<see cref="PackageVerifier"/>), then the manifest's self-test
    /// vector through the fp32 model in ONNX Runtime, then the session of the preferred file.
    /// </summary>
    /// <returns>The package, or null with <paramref name="reason"/> saying why it was refused.</returns>
    public static ModelPackage? Load(string folder, IEnumerable<string> trustedKeyFiles, InferenceOptions options, out string reason)
    {
        ArgumentNullException.ThrowIfNull(options);
        var verification = PackageVerifier.Verify(folder, trustedKeyFiles);
        if (!verification.Ok || verification.Manifest is not { } manifest)
        {
            reason = "verification failed: " + verification.Reason;
            return null;
        }

        if (manifest.Kind is not (ModelKinds.Anomaly or ModelKinds.Rul))
        {
            reason = $"manifest kind '{manifest.Kind}' is not {ModelKinds.Anomaly} or {ModelKinds.Rul}";
            return null;
        }

        if (manifest.Kind == ModelKinds.Anomaly && manifest.Decision is null)
        {
            reason = "anomaly manifest has no decision (threshold and debounce)";
            return null;
        }

        if (manifest.Decision is { } d && (d.Stride is < 1 or > 3600 || d.Debounce.RaiseAfter < 1 || d.Debounce.ClearAfter < 1))
        {
            reason = $"anomaly decision out of range: stride {d.Stride} (1..3600), raise after {d.Debounce.RaiseAfter} and clear after {d.Debounce.ClearAfter} (at least 1)";
            return null;
        }

        if (manifest.Input.MinimumRows is int min && (manifest.Kind != ModelKinds.Rul || min < 1 || min >= manifest.Input.WindowLength))
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"input minimumRows {min} out of range: only a {ModelKinds.Rul} package pads its window, and it needs 1 to {manifest.Input.WindowLength - 1} rows (window {manifest.Input.WindowLength})");
            return null;
        }

        var fp32 = manifest.Files.FirstOrDefault(f => f.Role == "fp32");
        if (fp32 is null)
        {
            reason = "manifest lists no fp32 model for the self-test";
            return null;
        }

        var scoring = manifest.Files.FirstOrDefault(f => f.Role == options.PreferredRole) ?? fp32;
        long[] sampleShape = [manifest.Input.WindowLength, manifest.Input.Channels.Count];
        var expected = manifest.SelfTest.Expected;
        if (manifest.SelfTest.Input.Count != sampleShape[0] * sampleShape[1] || expected.Count == 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"self-test vector has {manifest.SelfTest.Input.Count} inputs and {expected.Count} outputs; the input needs {sampleShape[0] * sampleShape[1]} ({sampleShape[0]} x {sampleShape[1]})");
            return null;
        }

        OnnxModel? test = null;
        OnnxModel? model = null;
        try
        {
            test = Open(folder, fp32, manifest, sampleShape, expected.Count, 1, options);
            for (int i = 0; i < test.SampleValues; i++)
            {
                test.Input[i] = manifest.SelfTest.Input[i];
            }

            test.Run(1);
            double worst = 0;
            for (int i = 0; i < expected.Count; i++)
            {
                double error = Math.Abs(test.Output[i] - expected[i]);
                if (!(error <= manifest.SelfTest.Tolerance))
                {
                    reason = string.Create(CultureInfo.InvariantCulture, $"self-test failed: {fp32.Path} output[{i}] = {test.Output[i]:R}, expected {expected[i]:R} ± {manifest.SelfTest.Tolerance:R}");
                    return null;
                }

                worst = Math.Max(worst, error);
            }

            model = Open(folder, scoring, manifest, sampleShape, 1, options.BatchWindows, options);
            reason = "ok";
            var package = new ModelPackage(Path.GetFullPath(folder), manifest, scoring, model, worst);
            model = null;
            return package;
        }
        catch (OnnxRuntimeException e)
        {
            reason = $"ONNX Runtime cannot run the model: {e.Message}";
            return null;
        }
        catch (InvalidDataException e)
        {
            reason = e.Message;
            return null;
        }
        finally
        {
            test?.Dispose();
            model?.Dispose();
        }
    }

    /// <summary>
    /// A session sibling of <see cref="Model"/> with its own buffers (batch <see cref="OnnxModel.MaxBatch"/>)
    /// for one scorer to fill and run, possibly on another thread; give it back with
    /// <see cref="ReturnLane"/>. Lanes are kept for the next landing and disposed with the package.
    /// </summary>
    public OnnxModel RentLane()
    {
        lock (_lanes)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idleLanes.Count > 0)
            {
                return _idleLanes.Pop();
            }

            var lane = Model.ShareSession(Model.MaxBatch);
            _lanes.Add(lane);
            return lane;
        }
    }

    /// <summary>Returns a lane from <see cref="RentLane"/>; it must not be running.</summary>
    public void ReturnLane(OnnxModel lane)
    {
        ArgumentNullException.ThrowIfNull(lane);
        lock (_lanes)
        {
            if (!_disposed && _lanes.Contains(lane) && !_idleLanes.Contains(lane))
            {
                _idleLanes.Push(lane);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lanes)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var lane in _lanes)
            {
                lane.Dispose();
            }

            _lanes.Clear();
            _idleLanes.Clear();
        }

        Model.Dispose();
    }

    private static OnnxModel Open(string folder, ModelFile file, ModelManifest manifest, long[] sampleShape, int outputWidth, int maxBatch, InferenceOptions options)
    {
        // Hash the bytes actually loaded: the file could change between verification and here.
        var bytes = File.ReadAllBytes(Path.Combine(folder, file.Path));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        if (sha != file.Sha256)
        {
            throw new InvalidDataException($"verification failed: {file.Path} changed while loading (SHA-256 {sha}, manifest {file.Sha256})");
        }

        return new(bytes, manifest.Input.TensorName, manifest.Output.TensorName, sampleShape, outputWidth, maxBatch, options.IntraOpThreads, options.InterOpThreads);
    }
}
