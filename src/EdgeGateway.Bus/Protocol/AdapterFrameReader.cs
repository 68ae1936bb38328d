using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeGateway.Bus;

/// <summary>
/// Decodes adapter frames from a buffer, in the style of <c>Utf8JsonReader</c>: a <c>ref struct</c>
/// over one buffer, with the counters carried across buffers in a <see cref="FrameReaderState"/>.
/// Bytes that do not form a good frame are skipped up to the next sync byte and counted; a
/// checksum failure skips only its sync byte, so a good frame hidden inside a corrupted candidate is
/// still found. Allocation-free.
/// </summary>
/// <example>
/// <code>
/// var reader = new AdapterFrameReader(buffer, isFinalBlock: false, state);
/// int n = reader.Read(frames);
/// state = reader.CurrentState;
/// keep buffer[(int)reader.BytesConsumed..] for the next call (at most 15 bytes)
/// </code>
/// </example>
public ref struct AdapterFrameReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly bool _isFinalBlock;
    private FrameReaderState _state;
    private int _consumed;

    /// <summary>Starts reading <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes to decode.</param>
    /// <param name="isFinalBlock">
    /// True when no bytes follow <paramref name="buffer"/>: a partial frame at its end is then
    /// consumed and reported as a truncated tail instead of being left for the next buffer.
    /// </param>
    /// <param name="state">The state returned by the previous buffer's reader, or default.</param>
    public AdapterFrameReader(ReadOnlySpan<byte> buffer, bool isFinalBlock, FrameReaderState state = default)
    {
        _buffer = buffer;
        _isFinalBlock = isFinalBlock;
        _state = state;
    }

    /// <summary>Bytes of the buffer consumed so far (good frames plus counted bad bytes).</summary>
    public readonly long BytesConsumed => _consumed;

    /// <summary>The state to pass to the reader of the next buffer.</summary>
    public readonly FrameReaderState CurrentState => _state;

    /// <summary>
    /// Decodes frames into <paramref name="destination"/> until it is full or the buffer holds no
    /// further complete frame. When it returns fewer frames than <paramref name="destination"/>
    /// holds, the unconsumed rest of the buffer is shorter than a frame (and, for a final block, empty).
    /// </summary>
    /// <returns>Frames written.</returns>
    public int Read(Span<AdapterFrame> destination)
    {
        ReadOnlySpan<byte> buffer = _buffer;
        int pos = _consumed;
        int written = 0;
        ref byte start = ref MemoryMarshal.GetReference(buffer);
        ref AdapterFrame dest = ref MemoryMarshal.GetReference(destination);
        ref ushort crcTable = ref Crc16CcittFalse.FrameTable;

        while (written < destination.Length)
        {
            if (buffer.Length - pos < AdapterProtocol.FrameLength)
            {
                pos = ReadTail(buffer, pos);
                break;
            }

            // pos + 16 <= buffer.Length was just checked, so both 8-byte loads are inside the span.
            ref byte frame = ref Unsafe.Add(ref start, (nuint)(uint)pos);
            ulong lo = Unsafe.ReadUnaligned<ulong>(ref frame);
            ulong hi = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref frame, 8));
            if ((ushort)lo == AdapterProtocol.SyncAndHeader)
            {
                if (Crc16CcittFalse.ComputeFrame(ref crcTable, lo, hi) == AdapterProtocol.ChecksumOf(hi))
                {
                    // written < destination.Length is the loop condition.
                    Unsafe.Add(ref dest, written++) = AdapterProtocol.FromHalves(lo, hi);
                    _state._inBadRun = false;
                    pos += AdapterProtocol.FrameLength;
                    continue;
                }

                _state._checksumFailures++;
            }

            pos = SkipBad(buffer, pos);
        }

        _state._goodFrames += written;
        _consumed = pos;
        return written;
    }

    /// <summary>Skips from a byte that does not start a good frame to the next sync byte, counting.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int SkipBad(ReadOnlySpan<byte> buffer, int pos)
    {
        int skip = AdapterProtocol.SkipToNextSync(buffer[pos..]);
        Debug.Assert(skip >= 1, "a bad position always skips at least its own byte");
        _state.AddBadBytes(skip);
        return pos + skip;
    }

    /// <summary>Handles fewer than a frame's bytes at the end of the buffer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadTail(ReadOnlySpan<byte> buffer, int pos)
    {
        while (pos < buffer.Length)
        {
            ReadOnlySpan<byte> rest = buffer[pos..];
            if (!AdapterProtocol.IsFramePrefix(rest))
            {
                pos = SkipBad(buffer, pos);
                continue;
            }

            if (_isFinalBlock)
            {
                _state.AddBadBytes(rest.Length);
                _state._truncatedTailBytes = rest.Length;
                return buffer.Length;
            }

            return pos;
        }

        return pos;
    }
}
