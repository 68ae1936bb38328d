using EdgeGateway.Bus;

namespace EdgeGateway.Benchmarks.Bus;

/// <summary>Deterministic frames, wire bytes and captures for the bus benchmarks.</summary>
internal static class BusBenchmarkData
{
    public static AdapterFrame[] Frames(int count, int seed = 429)
    {
        var rng = new Random(seed);
        var frames = new AdapterFrame[count];
        ulong t = 1_000_000;
        for (int i = 0; i < count; i++)
        {
            t += (ulong)rng.Next(20, 400);
            frames[i] = new AdapterFrame((byte)(i & 7), t, (uint)rng.NextInt64(0, 1L << 32), AdapterStatus.HighSpeed);
        }

        return frames;
    }

    public static byte[] Wire(AdapterFrame[] frames, double garbageFraction = 0, int seed = 7)
    {
        var rng = new Random(seed);
        using var ms = new MemoryStream(frames.Length * AdapterProtocol.FrameLength);
        Span<byte> frame = stackalloc byte[AdapterProtocol.FrameLength];
        Span<byte> garbage = stackalloc byte[8];
        foreach (var f in frames)
        {
            if (garbageFraction > 0 && rng.NextDouble() < garbageFraction)
            {
                rng.NextBytes(garbage);
                ms.Write(garbage);
            }

            AdapterProtocol.TryWrite(f, frame, out _);
            ms.Write(frame);
        }

        return ms.ToArray();
    }

    public static byte[] Capture(AdapterFrame[] frames)
    {
        var ms = new MemoryStream((frames.Length * AdapterProtocol.FrameLength) + 4096);
        using (var writer = new CaptureWriter(ms, Header(), leaveOpen: true))
        {
            writer.Write(frames);
        }

        return ms.ToArray();
    }

    public static CaptureHeader Header() => new(
        "D-AIZA",
        "A320-214 CFM56-5B4",
        "BENCH-0001",
        "a320-cfm56.labels.json",
        new string('0', 64),
        "EG-429-8",
        "1.0.0",
        new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
}
