using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Core.Tests.Arinc;

public class BnrTests
{
    [Fact]
    public void Decode_Bit28Only_IsHalfTheRange()
    {
        // Only bit 28 set: data bit 17 -> raw bit 27 (0-based) = 0x0800_0000. Worth range/2.
        Assert.Equal(128.0, Bnr.Decode(0x0800_0000, 256, 14));
    }

    [Fact]
    public void Decode_SignBitOnly_IsMinusRange()
    {
        // Bit 29 alone is the two's complement sign: -range.
        Assert.Equal(-256.0, Bnr.Decode(0x1000_0000, 256, 14));
    }

    [Fact]
    public void Decode_WorkedExampleN1_85Percent()
    {
        // N1 = 85 % with range 256 and 14 significant bits: resolution 256/2^14 = 1/64,
        // 85 * 64 = 5440 steps = 0b01_0101_0100_0000, placed under the sign: bits 28..15.
        // 5440 << (18 - 14) = 87040 = 0x15400 -> word bits 11.. : 0x15400 << 10 = 0x0550_0000.
        uint raw = 0x0550_0000;
        Assert.Equal(85.0, Bnr.Decode(raw, 256, 14));
        Assert.Equal(0x15400u, Bnr.EncodeData(85.0, 256, 14));
    }

    [Fact]
    public void Decode_NegativeValue_TwosComplement()
    {
        // -1 resolution step with 10 bits over range 16 (res 1/64): all ones above the 8 pad bits.
        uint data = Bnr.EncodeData(-1.0 / 64, 16, 10);
        Assert.Equal(0x7FF00u, data); // 19 bits: sign + 10 ones, then 8 zero pad bits
        Assert.Equal(-1.0 / 64, Bnr.Decode(data << 10, 16, 10));
    }

    [Fact]
    public void Decode_PadBitsIgnored()
    {
        // Pad bits below the significant ones must not change the value (they may carry discretes).
        uint clean = Bnr.EncodeData(42.5, 256, 14) << 10;
        uint padded = clean | (0b1111u << 10);
        Assert.Equal(Bnr.Decode(clean, 256, 14), Bnr.Decode(padded, 256, 14));
    }

    [Fact]
    public void EncodeData_BeyondRange_Saturates()
    {
        Assert.Equal(256.0 - (256.0 / 16384), Bnr.Decode(Bnr.EncodeData(1000, 256, 14) << 10, 256, 14));
        Assert.Equal(-256.0, Bnr.Decode(Bnr.EncodeData(-1000, 256, 14) << 10, 256, 14));
    }

    [Fact]
    public void RoundTrip_AllResolutionSteps_Exact()
    {
        var rng = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            int bits = rng.Next(1, 19);
            double range = Math.Pow(2, rng.Next(0, 16));
            double res = range / (1 << bits);
            long steps = rng.NextInt64(-(1L << bits), 1L << bits);
            double v = steps * res;
            Assert.Equal(v, Bnr.Decode(Bnr.EncodeData(v, range, bits) << 10, range, bits));
        }
    }
}
