using BenchmarkDotNet.Attributes;
using EdgeGateway.Bus;

namespace EdgeGateway.Benchmarks.Bus;

/// <summary>
/// Adapter frame decode: straight from a byte span, through a capture reader over memory, and the
/// encoder. Each operation is one frame (OperationsPerInvoke), so the allocation column is per word.
/// </summary>
[MemoryDiagnoser]
public class FrameDecodeBenchmarks
{
    private const int FrameCount = 1 << 20;

    private byte[] _wire = [];
    private byte[] _wireWithGarbage = [];
    private byte[] _capture = [];
    private AdapterFrame[] _frames = [];
    private readonly AdapterFrame[] _destination = new AdapterFrame[4096];
    private readonly byte[] _encodeBuffer = new byte[FrameCount * AdapterProtocol.FrameLength];

    [GlobalSetup]
    public void Setup()
    {
        _frames = BusBenchmarkData.Frames(FrameCount);
        _wire = BusBenchmarkData.Wire(_frames);
        _wireWithGarbage = BusBenchmarkData.Wire(_frames, garbageFraction: 0.01);
        _capture = BusBenchmarkData.Capture(_frames);
    }

    /// <summary>AdapterFrameReader over one buffer of clean frames.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = FrameCount)]
    public long DecodeSpan() => Decode(_wire);

    /// <summary>Same, with 8 garbage bytes before 1 % of the frames.</summary>
    [Benchmark(OperationsPerInvoke = FrameCount)]
    public long DecodeSpanWithGarbage() => Decode(_wireWithGarbage);

    /// <summary>CaptureReader.Read over a capture in memory: header, buffer refills, decode.</summary>
    [Benchmark(OperationsPerInvoke = FrameCount)]
    public long ReadCaptureFromMemory()
    {
        using var reader = new CaptureReader(new MemoryStream(_capture, writable: false));
        long sum = 0;
        int n;
        while ((n = reader.Read(_destination)) > 0)
        {
            sum += _destination[n - 1].Word;
        }

        return sum;
    }

    /// <summary>AdapterProtocol.TryWrite for every frame.</summary>
    [Benchmark(OperationsPerInvoke = FrameCount)]
    public int Encode()
    {
        var span = _encodeBuffer.AsSpan();
        int offset = 0;
        foreach (ref readonly var f in _frames.AsSpan())
        {
            AdapterProtocol.TryWrite(f, span[offset..], out int written);
            offset += written;
        }

        return offset;
    }

    private long Decode(byte[] wire)
    {
        var reader = new AdapterFrameReader(wire, isFinalBlock: true);
        long sum = 0;
        int n;
        while ((n = reader.Read(_destination)) > 0)
        {
            sum += _destination[n - 1].Word;
        }

        return sum;
    }
}
