using System.Runtime.CompilerServices;

namespace EdgeGateway.Core.Arinc;

/// <summary>How a label's data field is encoded.</summary>
public enum ArincEncoding : byte
{
    /// <summary>Two's complement binary fraction, sign in bit 29.</summary>
    Bnr,

    /// <summary>Binary-coded decimal digits, sign in the SSM.</summary>
    Bcd,

    /// <summary>Individual bits, reported as the unsigned field value.</summary>
    Discrete,
}

/// <summary>What the SSM says about a word, once read for its encoding.</summary>
public enum WordStatus : byte
{
    /// <summary>Normal operation (BCD: plus or minus).</summary>
    Normal,

    /// <summary>No computed data (NCD): the source has no valid value.</summary>
    NoComputedData,

    /// <summary>Functional test: the value is a test pattern, not a measurement.</summary>
    FunctionalTest,

    /// <summary>Failure warning (FW): the source reports itself failed.</summary>
    FailureWarning,
}

/// <summary>SSM meaning per encoding (ARINC 429 Part 1, tables for BNR, BCD and discrete words).</summary>
public static class SsmRules
{
    /// <summary>SSM bit pattern of normal operation for BNR words.</summary>
    public const int BnrNormal = 0b11;

    /// <summary>SSM bit pattern for a positive BCD value.</summary>
    public const int BcdPlus = 0b00;

    /// <summary>SSM bit pattern for a negative BCD value.</summary>
    public const int BcdMinus = 0b11;

    /// <summary>SSM bit pattern of normal operation for discrete words.</summary>
    public const int DiscreteNormal = 0b00;

    /// <summary>Reads the SSM bits (bit 31 bit 30) for an encoding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WordStatus Status(ArincEncoding encoding, int ssm) => encoding switch
    {
        ArincEncoding.Bnr => ssm switch
        {
            0b00 => WordStatus.FailureWarning,
            0b01 => WordStatus.NoComputedData,
            0b10 => WordStatus.FunctionalTest,
            _ => WordStatus.Normal,
        },
        ArincEncoding.Bcd => ssm switch
        {
            0b01 => WordStatus.NoComputedData,
            0b10 => WordStatus.FunctionalTest,
            _ => WordStatus.Normal,
        },
        _ => ssm switch
        {
            0b00 => WordStatus.Normal,
            0b01 => WordStatus.NoComputedData,
            0b10 => WordStatus.FunctionalTest,
            _ => WordStatus.FailureWarning,
        },
    };

    /// <summary>The SSM bits to send for a status (BCD normal uses the sign: plus unless <paramref name="negative"/>).</summary>
    public static int Encode(ArincEncoding encoding, WordStatus status, bool negative = false) => (encoding, status) switch
    {
        (_, WordStatus.NoComputedData) => 0b01,
        (_, WordStatus.FunctionalTest) => 0b10,
        (ArincEncoding.Bnr, WordStatus.Normal) => BnrNormal,
        (ArincEncoding.Bnr, _) => 0b00,
        (ArincEncoding.Bcd, WordStatus.Normal) => negative ? BcdMinus : BcdPlus,
        (ArincEncoding.Bcd, _) => throw new ArgumentException("BCD words have no failure-warning pattern; the source sends NCD instead.", nameof(status)),
        (_, WordStatus.Normal) => DiscreteNormal,
        _ => 0b11,
    };
}

/// <summary>
/// BNR (two's complement binary fraction) fields: the sign is bit 29, bit 28 is worth half the
/// label's range, each lower bit half the one above. With <c>s</c> significant bits the value
/// occupies bits 28 down to 29-s; lower bits are padding and ignored on decode.
/// </summary>
public static class Bnr
{
    /// <summary>Number of magnitude bits between the sign (bit 29) and bit 11.</summary>
    public const int MaxSignificantBits = 18;

    /// <summary>Decodes the data field of <paramref name="word"/>.</summary>
    /// <param name="word">Raw word.</param>
    /// <param name="range">Full-scale range: the value of the sign bit's weight, so bit 28 is range/2.</param>
    /// <param name="significantBits">Magnitude bits used (1..18).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Decode(uint word, double range, int significantBits)
    {
        // Shift bit 29 up to bit 32, then arithmetic-shift down so the sign extends and
        // bit (29 - s + 1) lands on bit 1: what remains is the signed count of resolution steps.
        int steps = (int)(word << 3) >> (13 + MaxSignificantBits - significantBits);
        return steps * Resolution(range, significantBits);
    }

    /// <summary>Resolution of one least significant used bit: range / 2^s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Resolution(double range, int significantBits) => range / (1 << significantBits);

    /// <summary>
    /// Encodes a value into the 19 data bits (bits 11-29, right-aligned), rounding to the
    /// resolution and saturating at the field's limits (-range .. range - resolution).
    /// </summary>
    public static uint EncodeData(double value, double range, int significantBits)
    {
        if (significantBits is < 1 or > MaxSignificantBits)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(significantBits), significantBits, "BNR significant bits are 1..18.");
        }

        long max = (1L << significantBits) - 1;
        long steps = (long)Math.Round(value / Resolution(range, significantBits), MidpointRounding.AwayFromZero);
        steps = Math.Clamp(steps, -max - 1, max);
        uint field = (uint)(steps << (MaxSignificantBits - significantBits));
        return field & ArincWord.DataMask;
    }
}

/// <summary>
/// BCD fields: up to five decimal digits, the most significant in bits 27-29 (3 bits, so 0..7),
/// then 4-bit digits in bits 23-26, 19-22, 15-18, 11-14. A field of n digits uses the top n
/// positions; the sign travels in the SSM.
/// </summary>
public static class Bcd
{
    /// <summary>Most digits a word carries.</summary>
    public const int MaxDigits = 5;

    /// <summary>
    /// Reads the top <paramref name="digits"/> digits as an unsigned integer; false when a
    /// digit is not 0-9 (a malformed BCD word).
    /// </summary>
    public static bool TryDecodeDigits(uint word, int digits, out int value)
    {
        uint data = (word >> 10) & ArincWord.DataMask;
        value = 0;
        for (int i = 0; i < digits; i++)
        {
            // Digit i counted from the top: the first sits at data bits 16-18 (3 bits wide),
            // the others 4 bits each below it.
            int shift = 16 - (4 * i);
            uint d = (data >> shift) & (i == 0 ? 0b111u : 0b1111u);
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }

    /// <summary>Encodes an unsigned integer into the top <paramref name="digits"/> digit positions.</summary>
    public static uint EncodeData(int value, int digits)
    {
        if (digits is < 1 or > MaxDigits)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(digits), digits, "BCD fields carry 1..5 digits.");
        }

        int max = MaxValue(digits);
        if (value < 0 || value > max)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(value), value, $"a {digits}-digit BCD field holds 0..{max}.");
        }

        uint data = 0;
        for (int i = digits - 1; i >= 0; i--)
        {
            uint d = (uint)(value % 10);
            value /= 10;
            data |= d << (16 - (4 * i));
        }

        return data;
    }

    /// <summary>Largest value a field of <paramref name="digits"/> digits holds (the top digit stops at 7).</summary>
    public static int MaxValue(int digits)
    {
        int max = 7;
        for (int i = 1; i < digits; i++)
        {
            max = (max * 10) + 9;
        }

        return max;
    }
}
