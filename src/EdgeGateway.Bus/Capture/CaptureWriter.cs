namespace EdgeGateway.Bus;

/// <summary>
/// Writes a capture file (<c>firmware-config/capture-format.md</c>): the header at construction,
/// then frames encoded exactly as on the wire. Frames are buffered (64 KiB) and written in blocks;
/// a file cut off by a crash is still readable up to the last complete frame.
/// </summary>
public sealed class CaptureWriter : IDisposable, IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;
    private bool _disposed;

    /// <summary>Starts a capture on <paramref name="stream"/> and writes <paramref name="header"/>.</summary>
    /// <exception cref="ArgumentException">The header is incomplete (see <see cref="CaptureHeader.Validate"/>).</exception>
    public CaptureWriter(Stream stream, CaptureHeader header, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        byte[] block = CaptureFormat.WriteHeader(header);
        _stream = stream;
        _leaveOpen = leaveOpen;
        Header = header;
        _stream.Write(block);
    }

    /// <summary>Creates (or overwrites) the file at <paramref name="path"/> and writes <paramref name="header"/>.</summary>
    public static CaptureWriter Create(string path, CaptureHeader header)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            return new CaptureWriter(stream, header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The header written at the start.</summary>
    public CaptureHeader Header { get; }

    /// <summary>Frames written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Appends one frame.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp does not fit in 48 bits.</exception>
    public void Write(in AdapterFrame frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (BufferSize - _used < AdapterProtocol.FrameLength)
        {
            FlushBuffer();
        }

        AdapterProtocol.TryWrite(frame, _buffer.AsSpan(_used), out int written);
        _used += written;
        FramesWritten++;
    }

    /// <summary>Appends frames in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A timestamp does not fit in 48 bits; the frames before it are written.</exception>
    public void Write(ReadOnlySpan<AdapterFrame> frames)
    {
        foreach (ref readonly var frame in frames)
        {
            Write(in frame);
        }
    }

    /// <summary>Writes buffered frames to the stream and flushes it.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushBuffer();
        _stream.Flush();
    }

    /// <summary>Flushes and closes (unless the stream was to be left open).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            FlushBuffer();
            _stream.Flush();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (_used > 0)
            {
                await _stream.WriteAsync(_buffer.AsMemory(0, _used)).ConfigureAwait(false);
                _used = 0;
            }

            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void FlushBuffer()
    {
        if (_used > 0)
        {
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
