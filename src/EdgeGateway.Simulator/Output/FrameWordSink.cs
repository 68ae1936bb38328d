using EdgeGateway.Bus;

namespace EdgeGateway.Simulator.Output;

/// <summary>
/// Encodes words as adapter wire frames (<see cref="AdapterProtocol"/>) onto any stream: a serial
/// port, a pty, a socket. Frames are gathered in a 4 KiB buffer and written when it fills, on
/// <see cref="Flush"/> and on <see cref="Complete"/>.
/// </summary>
public sealed class FrameWordSink : IWordSink
{
    private const int BufferSize = 4096;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;

    /// <summary>Writes frames to <paramref name="stream"/> (not disposed here).</summary>
    public FrameWordSink(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>Frames written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <inheritdoc/>
    public void Write(in BusWord word)
    {
        if (BufferSize - _used < AdapterProtocol.FrameLength)
        {
            WriteBuffer();
        }

        var frame = new AdapterFrame(word.Channel, word.TimestampMicros, word.Word, word.HighSpeed ? AdapterStatus.HighSpeed : AdapterStatus.None);
        AdapterProtocol.TryWrite(frame, _buffer.AsSpan(_used), out int written);
        _used += written;
        FramesWritten++;
    }

    /// <inheritdoc/>
    public void Flush()
    {
        WriteBuffer();
        _stream.Flush();
    }

    /// <inheritdoc/>
    public void Complete() => Flush();

    private void WriteBuffer()
    {
        if (_used > 0)
        {
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
