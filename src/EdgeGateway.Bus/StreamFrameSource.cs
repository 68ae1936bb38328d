namespace EdgeGateway.Bus;

/// <summary>
/// Reads adapter frames (<c>firmware-config/adapter-protocol.md</c>) from any <see cref="Stream"/>:
/// a socket, a pipe, a file of raw frames. Resynchronises after garbage and counts it. Memory is
/// one fixed buffer, whatever the stream's length.
/// </summary>
public sealed class StreamFrameSource : IFrameSource, IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly FrameBuffer _buffer;

    /// <summary>Reads frames from <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream positioned at the first frame byte.</param>
    /// <param name="leaveOpen">True to leave the stream open when this source is disposed.</param>
    /// <param name="bufferSize">Read buffer size in bytes (default 64 KiB, at least 32).</param>
    public StreamFrameSource(Stream stream, bool leaveOpen = false, int bufferSize = FrameBuffer.DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = new FrameBuffer(bufferSize);
    }

    /// <inheritdoc />
    public FrameReaderStats Stats => _buffer.State.Stats;

    /// <summary>Synchronous form of <see cref="ReadAsync"/>: frames written, 0 = end of stream.</summary>
    public int Read(Span<AdapterFrame> destination) => _buffer.Read(_stream, destination);

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<AdapterFrame> destination, CancellationToken cancellationToken = default) =>
        _buffer.ReadAsync(_stream, destination, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        return _leaveOpen ? ValueTask.CompletedTask : _stream.DisposeAsync();
    }
}
