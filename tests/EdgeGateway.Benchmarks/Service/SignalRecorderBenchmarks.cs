using BenchmarkDotNet.Attributes;
using EdgeGateway.Benchmarks.Bus;
using EdgeGateway.Bus;
using EdgeGateway.Core.Arinc;
using EdgeGateway.Sessions;

namespace EdgeGateway.Benchmarks.Service;

/// <summary>
/// The cost the crew page's signal recording adds to the session loop: one decode per frame into the
/// per-second raw ring. One operation = one batch of 4096 frames.
/// </summary>
[MemoryDiagnoser]
public class SignalRecorderBenchmarks
{
    private AdapterFrame[] _frames = [];
    private SignalRecorder _recorder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frames = BusBenchmarkData.Frames(4096);
        _recorder = new SignalRecorder(ServiceBenchmarkPaths.Table());
    }

    [Benchmark]
    public void RecordRaw() => _recorder.RecordRaw(_frames);
}

/// <summary>Where the service benchmarks find the built gateway and its label table.</summary>
internal static class ServiceBenchmarkPaths
{
    public static string Root { get; } = FindRoot();

    public static string GatewayDll => Path.Combine(Root, "src", "EdgeGateway", "bin", "Release", "net10.0", "edgegateway.dll");

    public static LabelTable Table() => LabelTableLoader.Load(Path.Combine(Root, "firmware-config", "label-tables", "a320-cfm56-5b.json"));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeGateway.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("EdgeGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
