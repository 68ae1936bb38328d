using Microsoft.ML.OnnxRuntime;

namespace EdgeGateway.Inference.Scoring;

/// <summary>
/// One ONNX Runtime session over a model with one float input <c>[N, ...]</c> and one float output
/// <c>[N, outputWidth]</c>, created once. Inputs and outputs live in arrays allocated by the
/// constructor; ONNX Runtime reads and writes them in place through <see cref="OrtValue"/>s created
/// over that memory (one pair per batch size, built on first use and kept), so scoring a batch
/// allocates no tensors. Not thread-safe: one caller at a time. Callers that score in parallel take
/// one <see cref="ShareSession"/> each: ONNX Runtime allows concurrent <c>Run</c> calls on one
/// session as long as each has its own input and output memory.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _sampleShape;
    private readonly OrtValue?[] _inputs;
    private readonly OrtValue?[] _outputs;
    private readonly OrtValue[] _inputArg = new OrtValue[1];
    private readonly OrtValue[] _outputArg = new OrtValue[1];
    private readonly bool _ownsSession;

    /// <summary>Loads <paramref name="modelBytes"/> with fixed thread counts and a maximum batch.</summary>
    /// <param name="modelBytes">The ONNX file's bytes.</param>
    /// <param name="inputName">Input tensor name.</param>
    /// <param name="outputName">Output tensor name.</param>
    /// <param name="sampleShape">Shape of one sample without the batch axis, e.g. <c>[window, channels]</c>.</param>
    /// <param name="outputWidth">Output values per sample.</param>
    /// <param name="maxBatch">Largest batch.</param>
    /// <param name="intraOpThreads">ONNX Runtime intra-op threads.</param>
    /// <param name="interOpThreads">ONNX Runtime inter-op threads.</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load the model.</exception>
    public OnnxModel(byte[] modelBytes, string inputName, string outputName, IReadOnlyList<long> sampleShape, int outputWidth, int maxBatch, int intraOpThreads, int interOpThreads)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputWidth, 1);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = interOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelBytes, options);
        _ownsSession = true;
        _inputNames = [inputName];
        _outputNames = [outputName];
        _sampleShape = [.. sampleShape];
        SampleValues = (int)_sampleShape.Aggregate(1L, (a, b) => a * b);
        OutputWidth = outputWidth;
        MaxBatch = maxBatch;
        Input = new float[maxBatch * SampleValues];
        Output = new float[maxBatch * outputWidth];
        _inputs = new OrtValue?[maxBatch + 1];
        _outputs = new OrtValue?[maxBatch + 1];
    }

    private OnnxModel(OnnxModel owner, int maxBatch)
    {
        _session = owner._session;
        _ownsSession = false;
        _inputNames = owner._inputNames;
        _outputNames = owner._outputNames;
        _sampleShape = owner._sampleShape;
        SampleValues = owner.SampleValues;
        OutputWidth = owner.OutputWidth;
        MaxBatch = maxBatch;
        Input = new float[maxBatch * SampleValues];
        Output = new float[maxBatch * OutputWidth];
        _inputs = new OrtValue?[maxBatch + 1];
        _outputs = new OrtValue?[maxBatch + 1];
    }

    /// <summary>Floats per sample in <see cref="Input"/>.</summary>
    public int SampleValues { get; }

    /// <summary>Floats per sample in <see cref="Output"/>.</summary>
    public int OutputWidth { get; }

    /// <summary>Largest batch.</summary>
    public int MaxBatch { get; }

    /// <summary>Input buffer: sample i occupies <c>[i x SampleValues, (i + 1) x SampleValues)</c>.</summary>
    public float[] Input { get; }

    /// <summary>Output buffer: sample i's values at <c>[i x OutputWidth, (i + 1) x OutputWidth)</c>, valid after <see cref="Run"/>.</summary>
    public float[] Output { get; }

    /// <summary>ONNX Runtime calls made.</summary>
    public long Runs { get; private set; }

    /// <summary>Samples scored.</summary>
    public long Samples { get; private set; }

    /// <summary>
    /// A model over this model's ONNX Runtime session with its own <see cref="Input"/>, <see cref="Output"/>
    /// and run options, for another thread to score with while this one (or another sibling) runs.
    /// Disposing it leaves the session open; it must be disposed before this model is.
    /// </summary>
    /// <param name="maxBatch">Largest batch of the sibling.</param>
    public OnnxModel ShareSession(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        return new OnnxModel(this, maxBatch);
    }

    /// <summary>Scores the first <paramref name="batch"/> samples of <see cref="Input"/> into <see cref="Output"/>.</summary>
    public void Run(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, MaxBatch);
        _inputArg[0] = _inputs[batch] ??= CreateInput(batch);
        _outputArg[0] = _outputs[batch] ??= OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Output.AsMemory(0, batch * OutputWidth), [batch, OutputWidth]);
        _session.Run(_runOptions, _inputNames, _inputArg, _outputNames, _outputArg);
        Runs++;
        Samples += batch;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var v in _inputs)
        {
            v?.Dispose();
        }

        foreach (var v in _outputs)
        {
            v?.Dispose();
        }

        _runOptions.Dispose();
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }

    private OrtValue CreateInput(int batch)
    {
        var shape = new long[_sampleShape.Length + 1];
        shape[0] = batch;
        _sampleShape.CopyTo(shape, 1);
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Input.AsMemory(0, batch * SampleValues), shape);
    }
}
