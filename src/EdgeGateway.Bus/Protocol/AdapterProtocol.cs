using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EdgeGateway.Bus;

/// <summary>
/// The adapter wire protocol, version 1 (specified in <c>firmware-config/adapter-protocol.md</c>):
/// fixed 16-byte frames.
/// <code>
/// offset  size  field
///  0      1     sync 0xA5
///  1      1     header: version (high nibble, 1) | frame type (low nibble, 0 = word frame) = 0x10
///  2      1     channel
///  3      1     status (AdapterStatus)
///  4      6     timestamp, microseconds, 48-bit little-endian
/// 10      4     ARINC 429 word, little-endian
/// 14      2     CRC-16/CCITT-FALSE over bytes 0..13, big-endian
/// </code>
/// </summary>
public static class AdapterProtocol
{
    /// <summary>Protocol version carried in the high nibble of the header byte.</summary>
    public const int Version = 1;

    /// <summary>Length of every version-1 frame in bytes.</summary>
    public const int FrameLength = 16;

    /// <summary>First byte of every frame.</summary>
    public const byte SyncByte = 0xA5;

    /// <summary>Second byte of a version-1 word frame: version 1 in the high nibble, type 0 in the low.</summary>
    public const byte HeaderV1WordFrame = 0x10;

    /// <summary>Largest timestamp a frame can carry (48 bits).</summary>
    public const ulong MaxTimestampMicros = (1UL << 48) - 1;

    internal const int ChannelOffset = 2;
    internal const int StatusOffset = 3;
    internal const int TimestampOffset = 4;
    internal const int WordOffset = 10;
    internal const int ChecksumOffset = 14;
    internal const int FirstVariableOffset = ChannelOffset;

    /// <summary>Sync and header as the low 16 bits of a little-endian load of the frame's first bytes.</summary>
    internal const ushort SyncAndHeader = SyncByte | (HeaderV1WordFrame << 8);

    /// <summary>
    /// Encodes <paramref name="frame"/> into <paramref name="destination"/>.
    /// </summary>
    /// <returns>False (and <paramref name="bytesWritten"/> = 0) when the destination is shorter than <see cref="FrameLength"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp does not fit in 48 bits.</exception>
    public static bool TryWrite(in AdapterFrame frame, Span<byte> destination, out int bytesWritten)
    {
        if (frame.TimestampMicros > MaxTimestampMicros)
        {
            ThrowHelper.ThrowTimestampOutOfRange(frame.TimestampMicros);
        }

        if (destination.Length < FrameLength)
        {
            bytesWritten = 0;
            return false;
        }

        ulong lo = SyncAndHeader
            | ((ulong)frame.Channel << 16)
            | ((ulong)(byte)frame.Status << 24)
            | (frame.TimestampMicros << 32);
        ulong hi = (frame.TimestampMicros >> 32) | ((ulong)frame.Word << 16);
        ushort crc = Crc16CcittFalse.ComputeFrame(lo, hi);
        BinaryPrimitives.WriteUInt64LittleEndian(destination, lo);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], hi);
        BinaryPrimitives.WriteUInt16BigEndian(destination[ChecksumOffset..], crc);
        bytesWritten = FrameLength;
        return true;
    }

    /// <summary>
    /// Decodes one frame at the start of <paramref name="source"/>, without searching. For streams use
    /// <see cref="AdapterFrameReader"/>, which resynchronises and counts.
    /// </summary>
    /// <param name="source">Bytes that should start with a frame.</param>
    /// <param name="frame">The frame when the result is <see cref="OperationStatus.Done"/>.</param>
    /// <param name="bytesConsumed">
    /// <see cref="FrameLength"/> for <see cref="OperationStatus.Done"/>; 0 for
    /// <see cref="OperationStatus.NeedMoreData"/>; for <see cref="OperationStatus.InvalidData"/>, how
    /// many bytes to skip before the next possible frame start (at least 1).
    /// </param>
    /// <returns>
    /// <see cref="OperationStatus.Done"/>: a good frame. <see cref="OperationStatus.NeedMoreData"/>:
    /// <paramref name="source"/> is a valid beginning of a frame but too short.
    /// <see cref="OperationStatus.InvalidData"/>: no frame starts here (wrong sync or header, or checksum mismatch).
    /// </returns>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out AdapterFrame frame, out int bytesConsumed)
    {
        frame = default;
        if (source.Length >= FrameLength)
        {
            ulong lo = BinaryPrimitives.ReadUInt64LittleEndian(source);
            ulong hi = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
            if ((ushort)lo == SyncAndHeader && Crc16CcittFalse.ComputeFrame(lo, hi) == ChecksumOf(hi))
            {
                frame = FromHalves(lo, hi);
                bytesConsumed = FrameLength;
                return OperationStatus.Done;
            }
        }
        else if (source.IsEmpty || IsFramePrefix(source))
        {
            bytesConsumed = 0;
            return OperationStatus.NeedMoreData;
        }

        bytesConsumed = SkipToNextSync(source);
        return OperationStatus.InvalidData;
    }

    /// <summary>The frame's checksum field (bytes 14, 15 big-endian) from the high half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort ChecksumOf(ulong hi) => (ushort)(((hi >> 40) & 0xFF00) | (hi >> 56));

    /// <summary>Builds the frame from the two little-endian halves of a checked frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static AdapterFrame FromHalves(ulong lo, ulong hi) => new(
        (byte)(lo >> 16),
        (lo >> 32) | ((hi & 0xFFFF) << 32),
        (uint)(hi >> 16),
        (AdapterStatus)(byte)(lo >> 24));

    /// <summary>True when <paramref name="source"/> (shorter than a frame) could be the start of one.</summary>
    internal static bool IsFramePrefix(ReadOnlySpan<byte> source) =>
        source.Length > 0 && source[0] == SyncByte && (source.Length == 1 || source[1] == HeaderV1WordFrame);

    /// <summary>Bytes from the start of <paramref name="source"/> to the next sync byte after offset 0, or all of them.</summary>
    internal static int SkipToNextSync(ReadOnlySpan<byte> source)
    {
        if (source.Length <= 1)
        {
            return source.Length;
        }

        int next = source[1..].IndexOf(SyncByte);
        return next < 0 ? source.Length : next + 1;
    }
}
