using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeGateway.Bus;

/// <summary>
/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, not reflected, no final xor; check value 0x29B1 for
/// "123456789"). Hand-written because System.IO.Hashing (up to 10.x) has CRC-32 and CRC-64 only, and
/// because frames have a fixed length: the CRC of a fixed-length message is affine in its bytes, so
/// a frame's CRC is one independent table lookup per byte (<see cref="ComputeFrame(ulong, ulong)"/>) instead of a
/// serial chain of dependent lookups.
/// </summary>
internal static class Crc16CcittFalse
{
    public const ushort Polynomial = 0x1021;
    public const ushort InitialValue = 0xFFFF;

    /// <summary>Classic byte-at-a-time table (MSB first).</summary>
    private static readonly ushort[] s_table = BuildTable();

    /// <summary>
    /// Position tables for a whole frame's variable bytes: entry [k * 256 + b] is the contribution of
    /// byte value b at frame offset <see cref="AdapterProtocol.FirstVariableOffset"/> + k, with init 0.
    /// 12 x 256 x 2 bytes = 6 KiB, stays in L1.
    /// </summary>
    private static readonly ushort[] s_frameTable = BuildFrameTable();

    /// <summary>CRC of the constant frame prefix (sync, header) followed by zero bytes, with init 0xFFFF.</summary>
    private static readonly ushort s_frameConstant = ComputeFrameConstant();

    /// <summary>Computes the CRC of <paramref name="data"/> one byte at a time.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Update(InitialValue, data);

    /// <summary>Continues a CRC over more data.</summary>
    public static ushort Update(ushort crc, ReadOnlySpan<byte> data)
    {
        ushort[] table = s_table;
        foreach (byte b in data)
        {
            crc = (ushort)((crc << 8) ^ table[(byte)((crc >> 8) ^ b)]);
        }

        return crc;
    }

    /// <summary>Bit-by-bit reference form, used only to build and check the tables.</summary>
    public static ushort ComputeBitwise(ReadOnlySpan<byte> data, ushort crc = InitialValue)
    {
        foreach (byte b in data)
        {
            crc ^= (ushort)(b << 8);
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ Polynomial) : (ushort)(crc << 1);
            }
        }

        return crc;
    }

    /// <summary>The position tables, for callers that hoist the reference out of a loop.</summary>
    public static ref ushort FrameTable => ref MemoryMarshal.GetArrayDataReference(s_frameTable);

    /// <summary>
    /// CRC over frame bytes 0..13 given the frame's first two 8-byte little-endian halves. Bytes 0
    /// and 1 are assumed to be the constant sync and header (the caller checked them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ComputeFrame(ulong lo, ulong hi) => ComputeFrame(ref FrameTable, lo, hi);

    /// <inheritdoc cref="ComputeFrame(ulong, ulong)"/>
    /// <param name="table">Reference to <see cref="FrameTable"/>.</param>
    /// <param name="lo">Frame bytes 0..7, little-endian.</param>
    /// <param name="hi">Frame bytes 8..15, little-endian.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ComputeFrame(ref ushort table, ulong lo, ulong hi)
    {
        // Each index is a byte value (below 256) into its own 256-entry slice, so no lookup can
        // leave the 12 x 256 table; the constant slice offsets fold into the address.
        int c = s_frameConstant
            ^ Lookup(ref table, 0, lo >> 16)
            ^ Lookup(ref table, 1, lo >> 24)
            ^ Lookup(ref table, 2, lo >> 32)
            ^ Lookup(ref table, 3, lo >> 40)
            ^ Lookup(ref table, 4, lo >> 48)
            ^ Lookup(ref table, 5, lo >> 56)
            ^ Lookup(ref table, 6, hi)
            ^ Lookup(ref table, 7, hi >> 8)
            ^ Lookup(ref table, 8, hi >> 16)
            ^ Lookup(ref table, 9, hi >> 24)
            ^ Lookup(ref table, 10, hi >> 32)
            ^ Lookup(ref table, 11, hi >> 40);
        return (ushort)c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Lookup(ref ushort table, int slice, ulong shifted) =>
        Unsafe.Add(ref Unsafe.Add(ref table, slice * 256), (nuint)(byte)shifted);

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        Span<byte> one = stackalloc byte[1];
        for (int b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            table[b] = ComputeBitwise(one, 0);
        }

        return table;
    }

    private static ushort[] BuildFrameTable()
    {
        const int variableBytes = AdapterProtocol.ChecksumOffset - AdapterProtocol.FirstVariableOffset;
        var table = new ushort[variableBytes * 256];
        Span<byte> message = stackalloc byte[AdapterProtocol.ChecksumOffset];
        for (int k = 0; k < variableBytes; k++)
        {
            for (int b = 0; b < 256; b++)
            {
                message.Clear();
                message[AdapterProtocol.FirstVariableOffset + k] = (byte)b;
                table[(k * 256) + b] = ComputeBitwise(message, 0);
            }
        }

        return table;
    }

    private static ushort ComputeFrameConstant()
    {
        Span<byte> message = stackalloc byte[AdapterProtocol.ChecksumOffset];
        message.Clear();
        message[0] = AdapterProtocol.SyncByte;
        message[1] = AdapterProtocol.HeaderV1WordFrame;
        return ComputeBitwise(message);
    }
}
