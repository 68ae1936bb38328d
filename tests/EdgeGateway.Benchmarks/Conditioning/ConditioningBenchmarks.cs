using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Benchmarks.Conditioning;

/// <summary>Hampel and rolling median on 20 million float32 samples (the SciPy comparison's input).</summary>
[MemoryDiagnoser]
public class HampelBenchmarks
{
    private float[] _input = [];
    private float[] _output = [];
    private HampelFilter _filter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _input = ConditioningData.NoisySine(ConditioningData.HampelSamples);
        _output = new float[_input.Length];
        _filter = new HampelFilter(7);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ConditioningData.HampelSamples)]
    public int Hampel7OneShot() => Hampel.Apply(_input, _output, 7);

    [Benchmark(OperationsPerInvoke = ConditioningData.HampelSamples)]
    public int Hampel9Generic() => Hampel.Apply(_input, _output, 9);

    [Benchmark(OperationsPerInvoke = ConditioningData.HampelSamples)]
    public void RollingMedian7() => RollingMedian.Apply(_input, _output, 7);

    [Benchmark(OperationsPerInvoke = ConditioningData.HampelSamples)]
    public int Hampel7Streaming4096()
    {
        int written = 0;
        for (int i = 0; i < _input.Length; i += 4096)
        {
            written += _filter.Process(_input.AsSpan(i, Math.Min(4096, _input.Length - i)), _output.AsSpan(written));
        }

        return written + _filter.Flush(_output.AsSpan(written));
    }

    /// <summary>Read 80 MB and write 80 MB: the memory-bandwidth ceiling for any one-pass filter over this input.</summary>
    [Benchmark(OperationsPerInvoke = ConditioningData.HampelSamples)]
    public void CopyCeiling() => _input.AsSpan().CopyTo(_output);
}

/// <summary>The streaming conditioning chain (Hampel 7, EMA, 10 Hz resampling) on 1 million jittered 10 Hz samples.</summary>
[MemoryDiagnoser]
public class ConditioningChainBenchmarks : IDisposable
{
    private const int Samples = 1_000_000;
    private const int Chunk = 4096;
    private long[] _ticks = [];
    private float[] _values = [];
    private float[] _output = [];
    private ConditioningChain _chain = null!;

    [GlobalSetup]
    public void Setup()
    {
        var period = TimeSpan.FromMilliseconds(100);
        _ticks = ConditioningData.JitteredTicks(Samples, period);
        _values = ConditioningData.NoisySine(Samples);
        _output = new float[2 * Chunk];
        _chain = new ConditioningChain(new ConditioningOptions
        {
            Smoothing = Smoothing.Ema,
            Resample = new ResampleOptions { OutputPeriod = period },
        });
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _chain?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public int Streaming4096()
    {
        int total = 0;
        for (int i = 0; i < Samples; i += Chunk)
        {
            int n = Math.Min(Chunk, Samples - i);
            var t = _ticks.AsSpan(i, n);
            var v = _values.AsSpan(i, n);
            OperationStatus status;
            do
            {
                status = _chain.Process(t, v, _output, out int consumed, out int written);
                total += written;
                t = t[consumed..];
                v = v[consumed..];
            }
            while (status == OperationStatus.DestinationTooSmall);
        }

        OperationStatus flushed;
        do
        {
            flushed = _chain.Flush(_output, out int w);
            total += w;
        }
        while (flushed == OperationStatus.DestinationTooSmall);

        return total;
    }
}

/// <summary>Window building: 3 channels, 256-sample windows every 32 samples.</summary>
[MemoryDiagnoser]
public class WindowBuilderBenchmarks
{
    private const int Samples = 1 << 20;
    private float[] _data = [];
    private float[] _window = [];
    private WindowBuilder _builder = null!;
    private long _next;
    private WindowBuilder _standIn = null!;
    private float[] _standInWindow = [];
    private long _nextStandIn;

    [GlobalSetup]
    public void Setup()
    {
        _data = ConditioningData.NoisySine(Samples);
        _builder = new WindowBuilder(256, 32, ["n1", "n2", "egt"]);
        _window = new float[_builder.WindowValues];
        _standIn = new WindowBuilder(256, 32, ["n1", "n2", "egt", "egt@other"]);
        _standIn.SetStandIn(3, 2, 0.5, 1, patienceSamples: 0);
        _standInWindow = new float[_standIn.WindowValues];
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public int AppendAndBuild()
    {
        int built = ConditioningData.FeedWindows(_builder, _window, _data, _next, 3);
        _next += Samples;
        return built;
    }

    /// <summary>The same with a fourth, optional column that never comes: every window stands in for it.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public int AppendAndBuildStandingIn()
    {
        int built = ConditioningData.FeedWindows(_standIn, _standInWindow, _data, _nextStandIn, 3);
        _nextStandIn += Samples;
        return built;
    }

}
