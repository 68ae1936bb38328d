namespace EdgeGateway.Bus;

/// <summary>
/// Reads a capture file (<c>firmware-config/capture-format.md</c>) as a stream of frames, in
/// constant memory whatever the file's length. The header is read and checked on opening; the
/// frames go through the same decoder as a live adapter's bytes, so garbage is skipped and counted
/// and a file cut off mid-frame is read up to the cut (<see cref="IsTruncated"/>).
/// </summary>
public sealed class CaptureReader : IFrameSource, IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly FrameBuffer _buffer;

    /// <summary>Opens a capture on <paramref name="stream"/> and reads its header.</summary>
    /// <param name="stream">A readable stream positioned at the start of the capture.</param>
    /// <param name="leaveOpen">True to leave the stream open on dispose (also when the header is rejected).</param>
    /// <param name="bufferSize">Frame read buffer in bytes (default 64 KiB).</param>
    /// <exception cref="InvalidDataException">The header is missing, cut off, corrupt or of an unsupported version; the message says what was wrong.</exception>
    public CaptureReader(Stream stream, bool leaveOpen = false, int bufferSize = FrameBuffer.DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = new FrameBuffer(bufferSize);
        try
        {
            Header = CaptureFormat.ReadHeader(stream);
        }
        catch when (!leaveOpen)
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens the capture file at <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="InvalidDataException">The header is not valid; the message names the file and the problem.</exception>
    public static CaptureReader Open(string path)
    {
        // The reader's own buffer does the buffering; a FileStream buffer would only copy twice.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        try
        {
            return new CaptureReader(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>The capture's header.</summary>
    public CaptureHeader Header { get; }

    /// <summary>
    /// True once the end was reached and the file ended inside a frame (a recording cut off by a
    /// crash or a full disk); all frames before the cut were returned.
    /// </summary>
    public bool IsTruncated => _buffer.State.Stats.TruncatedTail;

    /// <inheritdoc />
    public FrameReaderStats Stats => _buffer.State.Stats;

    /// <summary>Fills <paramref name="destination"/> with the next frames; 0 = end of the capture. The fast path for replay.</summary>
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
    public ValueTask DisposeAsync() => _leaveOpen ? ValueTask.CompletedTask : _stream.DisposeAsync();
}
