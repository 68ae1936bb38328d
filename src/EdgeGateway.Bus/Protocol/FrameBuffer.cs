using System.Diagnostics;

namespace EdgeGateway.Bus;

/// <summary>
/// A fixed byte buffer between a byte source and an <see cref="AdapterFrameReader"/>: the one
/// decode loop behind streams, captures and serial ports. Memory stays constant: the buffer is
/// allocated once and at most a frame's worth of bytes is moved to its front before each refill.
/// </summary>
internal sealed class FrameBuffer
{
    /// <summary>Default buffer size: big enough that a read covers thousands of frames.</summary>
    public const int DefaultSize = 64 * 1024;

    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private FrameReaderState _state;

    public FrameBuffer(int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, AdapterProtocol.FrameLength * 2);
        _buffer = new byte[size];
    }

    /// <summary>True once the source reported its end; the tail has then been (or will be) consumed.</summary>
    public bool EndOfStream { get; private set; }

    public FrameReaderState State => _state;

    /// <summary>Bytes buffered but not yet decoded (fewer than a frame after <see cref="Decode"/> returned 0).</summary>
    public int Buffered => _end - _start;

    /// <summary>Decodes the buffered bytes into <paramref name="destination"/>.</summary>
    public int Decode(Span<AdapterFrame> destination)
    {
        if (_start == _end)
        {
            return 0;
        }

        var reader = new AdapterFrameReader(_buffer.AsSpan(_start, _end - _start), EndOfStream, _state);
        int n = reader.Read(destination);
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        return n;
    }

    /// <summary>Moves the undecoded rest to the front and returns the free space behind it.</summary>
    public Memory<byte> GetFillMemory()
    {
        Debug.Assert(!EndOfStream, "nothing is read after the end of the stream");
        if (_start > 0)
        {
            int rest = _end - _start;
            _buffer.AsSpan(_start, rest).CopyTo(_buffer);
            _start = 0;
            _end = rest;
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were read into the fill memory; 0 means end of stream.</summary>
    public void Advance(int count)
    {
        if (count == 0)
        {
            EndOfStream = true;
            return;
        }

        _end += count;
    }

    /// <summary>
    /// Drops undecoded bytes because their source went away mid-frame (the rest of that frame will
    /// never come); counts them as bad bytes and returns how many there were.
    /// </summary>
    public int DiscardPartial()
    {
        int rest = _end - _start;
        if (rest > 0)
        {
            _state.AddBadBytes(rest);
        }

        _start = 0;
        _end = 0;
        return rest;
    }

    /// <summary>Sync read: decodes buffered frames, refilling from <paramref name="stream"/> as needed.</summary>
    public int Read(Stream stream, Span<AdapterFrame> destination)
    {
        if (destination.IsEmpty)
        {
            ThrowHelper.ThrowEmptyDestination(nameof(destination));
        }

        while (true)
        {
            int n = Decode(destination);
            if (n > 0 || EndOfStream)
            {
                return n;
            }

            Advance(stream.Read(GetFillMemory().Span));
        }
    }

    /// <summary>Async read: decodes buffered frames, refilling from <paramref name="stream"/> as needed.</summary>
    public async ValueTask<int> ReadAsync(Stream stream, Memory<AdapterFrame> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            ThrowHelper.ThrowEmptyDestination(nameof(destination));
        }

        while (true)
        {
            int n = Decode(destination.Span);
            if (n > 0 || EndOfStream)
            {
                return n;
            }

            Advance(await stream.ReadAsync(GetFillMemory(), cancellationToken).ConfigureAwait(false));
        }
    }
}
