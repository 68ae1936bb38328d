using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeGateway.Core.Arinc;

/// <summary>
/// One ARINC 429 word as it sits in a <see cref="uint"/>, bit 1 of the specification being the
/// least significant bit. Field accessors only pick bits; meaning comes from the label table.
/// </summary>
/// <remarks>
/// Layout (bit numbers as in ARINC 429 Part 1):
/// <code>
///  32 | 31 30 | 29 ............ 11 | 10 9 | 8 ...... 1
///   P |  SSM  |        data        |  SDI |   label (sent MSB first, so bit-reversed here)
/// </code>
/// </remarks>
/// <param name="raw">The 32-bit word.</param>
public readonly struct ArincWord(uint raw) : IEquatable<ArincWord>
{
    /// <summary>Mask of the 19 data bits (bits 11-29) once shifted down to bit 0.</summary>
    public const uint DataMask = 0b111_1111_1111_1111_1111;

    /// <summary>The raw 32-bit word.</summary>
    public uint Raw { get; } = raw;

    /// <summary>The label as a number whose octal digits are the label (label 203 octal = 131).</summary>
    public byte Label => ReverseBits((byte)Raw);

    /// <summary>Source/destination identifier, bits 9-10 (0..3).</summary>
    public int Sdi => (int)((Raw >> 8) & 0b11);

    /// <summary>Sign/status matrix, bits 30-31, as the two-bit number (bit 31 bit 30).</summary>
    public int Ssm => (int)((Raw >> 29) & 0b11);

    /// <summary>Bits 11-29 moved down to bit 0.</summary>
    public uint Data => (Raw >> 10) & DataMask;

    /// <summary>True when the word has odd parity over all 32 bits, as ARINC 429 requires.</summary>
    public bool ParityOk => (BitOperations.PopCount(Raw) & 1) == 1;

    /// <summary>The label as its three octal digits, e.g. "203".</summary>
    public string LabelOctal => FormatLabel(Label);

    /// <summary>Builds a word from its fields and sets bit 32 for odd parity.</summary>
    /// <param name="label">Label number (octal digits as a number, e.g. 0o346 = 230).</param>
    /// <param name="sdi">SDI, 0..3.</param>
    /// <param name="data">The 19 data bits (bits 11-29), right-aligned.</param>
    /// <param name="ssm">SSM, 0..3.</param>
    public static ArincWord Create(byte label, int sdi, uint data, int ssm)
    {
        if ((uint)sdi > 3)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(sdi), sdi, "SDI is two bits (0..3).");
        }

        if ((uint)ssm > 3)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(ssm), ssm, "SSM is two bits (0..3).");
        }

        if (data > DataMask)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(data), data, "data is 19 bits (bits 11-29).");
        }

        uint w = ReverseBits(label) | ((uint)sdi << 8) | (data << 10) | ((uint)ssm << 29);
        return new ArincWord(WithOddParity(w));
    }

    /// <summary>Sets or clears bit 32 so that the word has odd parity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint WithOddParity(uint word)
    {
        uint low = word & 0x7FFF_FFFF;
        // Odd parity: bit 32 is set when the other 31 bits hold an even number of ones.
        return (BitOperations.PopCount(low) & 1) == 0 ? low | 0x8000_0000 : low;
    }

    /// <summary>Reverses the bit order of a byte (label transmission order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ReverseBits(byte b) => s_reverse[b];

    /// <summary>Formats a label number as three octal digits.</summary>
    public static string FormatLabel(byte label) => Convert.ToString(label, 8).PadLeft(3, '0');

    /// <summary>Parses three octal digits ("346") into a label number; false when not octal or above 377.</summary>
    public static bool TryParseLabel(ReadOnlySpan<char> text, out byte label)
    {
        label = 0;
        if (text.Length is < 1 or > 3)
        {
            return false;
        }

        int v = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            v = (v * 8) + (c - '0');
        }

        if (v > byte.MaxValue)
        {
            return false;
        }

        label = (byte)v;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(ArincWord other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ArincWord w && Equals(w);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Raw;

    /// <summary>The word in hex, e.g. "0x60E5A0C1".</summary>
    public override string ToString() => $"0x{Raw:X8}";

    /// <summary>Equality of raw words.</summary>
    public static bool operator ==(ArincWord left, ArincWord right) => left.Equals(right);

    /// <summary>Inequality of raw words.</summary>
    public static bool operator !=(ArincWord left, ArincWord right) => !left.Equals(right);

    private static readonly byte[] s_reverse = BuildReverseTable();

    private static byte[] BuildReverseTable()
    {
        var t = new byte[256];
        for (int i = 0; i < 256; i++)
        {
            int r = 0;
            for (int b = 0; b < 8; b++)
            {
                r |= ((i >> b) & 1) << (7 - b);
            }

            t[i] = (byte)r;
        }

        return t;
    }
}
