namespace EdgeGateway.Bus.Tests;

/// <summary>Frame and byte generators shared by the tests.</summary>
internal static class TestFrames
{
    public static AdapterFrame[] Random(Random rng, int count)
    {
        var frames = new AdapterFrame[count];
        ulong t = (ulong)rng.NextInt64(0, 1L << 40);
        for (int i = 0; i < count; i++)
        {
            t += (ulong)rng.Next(1, 400);
            frames[i] = new AdapterFrame(
                (byte)rng.Next(0, 8),
                t,
                (uint)rng.NextInt64(0, 1L << 32),
                (AdapterStatus)rng.Next(0, 8));
        }

        return frames;
    }

    public static byte[] Encode(ReadOnlySpan<AdapterFrame> frames)
    {
        var bytes = new byte[frames.Length * AdapterProtocol.FrameLength];
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.True(AdapterProtocol.TryWrite(frames[i], bytes.AsSpan(i * AdapterProtocol.FrameLength), out _));
        }

        return bytes;
    }

    /// <summary>Decodes a whole buffer in one final block.</summary>
    public static (List<AdapterFrame> Frames, FrameReaderStats Stats) DecodeAll(ReadOnlySpan<byte> bytes, int destinationLength = 64)
    {
        var result = new List<AdapterFrame>();
        var dest = new AdapterFrame[destinationLength];
        var reader = new AdapterFrameReader(bytes, isFinalBlock: true);
        int n;
        while ((n = reader.Read(dest)) > 0)
        {
            result.AddRange(dest.AsSpan(0, n));
        }

        Assert.Equal(bytes.Length, reader.BytesConsumed);
        return (result, reader.CurrentState.Stats);
    }

    /// <summary>Reads a source to its end.</summary>
    public static List<AdapterFrame> ReadToEnd(Func<Span<AdapterFrame>, int> read, int destinationLength = 37)
    {
        var result = new List<AdapterFrame>();
        var dest = new AdapterFrame[destinationLength];
        int n;
        while ((n = read(dest)) > 0)
        {
            result.AddRange(dest.AsSpan(0, n));
        }

        return result;
    }

    public static CaptureHeader Header() => new(
        "D-AIZA",
        "A320-214 CFM56-5B4",
        "DLH4AB-2026-11-26",
        "a320-cfm56.labels.json",
        CaptureHeader.ComputeLabelTableSha256("label table"u8),
        "EG-429-8",
        "1.4.2",
        new DateTimeOffset(2026, 11, 26, 10, 15, 0, TimeSpan.Zero))
    {
        Metadata = new Dictionary<string, string> { ["simulator.seed"] = "42", ["gate"] = "B12" },
    };
}

/// <summary>A read-only stream that hands out its bytes in chunks of random size, like a serial line.</summary>
internal sealed class TrickleStream(byte[] data, int seed, int maxChunk) : Stream
{
    private readonly Random _rng = new(seed);
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(buffer.Length, data.Length - _position), _rng.Next(1, maxChunk + 1));
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
