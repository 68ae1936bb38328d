using BenchmarkDotNet.Attributes;
using EdgeGateway.Landing;

namespace EdgeGateway.Benchmarks.Replay;

/// <summary>Replay of a 14-hour two-engine capture without models: decode, validate, summarise.</summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private string _capture = "";

    [GlobalSetup]
    public void Setup() => _capture = ReplayCaptures.Get(14);

    [Benchmark]
    public long Replay14h() => CaptureReplay.Run(_capture, ReplayCaptures.Table).Summary.Words;
}
