using System.Runtime.InteropServices;

namespace EdgeGateway.Bus;

/// <summary>
/// Status flags an adapter sends with each received word (the status byte of the wire frame,
/// see <c>firmware-config/adapter-protocol.md</c>). Bits 3-7 are reserved and sent as zero; a reader
/// keeps them as received so a newer adapter's flags are not lost.
/// </summary>
[Flags]
public enum AdapterStatus : byte
{
    /// <summary>No flag set: a normal word on a low-speed (12.5 kbit/s) channel.</summary>
    None = 0,

    /// <summary>Bit 0: the channel's receive FIFO overflowed before this word; words were lost in between.</summary>
    Overflow = 0b0000_0001,

    /// <summary>Bit 1: the receiver saw a parity error on this word (the word is passed on unchanged).</summary>
    ParityError = 0b0000_0010,

    /// <summary>Bit 2: channel speed. Set = high speed (100 kbit/s), clear = low speed (12.5 kbit/s).</summary>
    HighSpeed = 0b0000_0100,
}

/// <summary>One ARINC 429 word as received by an adapter channel.</summary>
/// <param name="Channel">Adapter receive channel, 0-based as numbered on the adapter.</param>
/// <param name="TimestampMicros">
/// The adapter's free-running hardware clock in microseconds since the adapter powered up, when the
/// word's last bit arrived. 48 bits on the wire (wraps after about 8.9 years); not wall-clock time.
/// </param>
/// <param name="Word">The raw 32-bit ARINC 429 word, bit 1 in the least significant bit.</param>
/// <param name="Status">Adapter status flags for this word.</param>
/// <remarks>Auto layout packs the fields into 16 bytes instead of 24: replay moves millions of these per second.</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct AdapterFrame(byte Channel, ulong TimestampMicros, uint Word, AdapterStatus Status);
