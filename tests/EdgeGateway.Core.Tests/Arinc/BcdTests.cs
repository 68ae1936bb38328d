using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Core.Tests.Arinc;

public class BcdTests
{
    [Fact]
    public void EncodeData_FiveDigits_HandLaidOut()
    {
        // 71234: 7 in bits 27-29, 1 in 23-26, 2 in 19-22, 3 in 15-18, 4 in 11-14.
        // data bits (bit 11 = data bit 0): 7<<16 | 1<<12 | 2<<8 | 3<<4 | 4 = 0x71234.
        Assert.Equal(0x71234u, Bcd.EncodeData(71234, 5));
        Assert.True(Bcd.TryDecodeDigits(0x71234u << 10, 5, out int v));
        Assert.Equal(71234, v);
    }

    [Fact]
    public void EncodeData_FourDigits_UsesTopPositions()
    {
        // 0779 in four digits: 0 in bits 27-29, 7 in 23-26, 7 in 19-22, 9 in 15-18; bits 11-14 unused.
        Assert.Equal(0x07790u, Bcd.EncodeData(779, 4));
    }

    [Fact]
    public void TryDecodeDigits_DigitAboveNine_Fails()
    {
        uint data = 0xA << 12; // second digit = 10
        Assert.False(Bcd.TryDecodeDigits(data << 10, 5, out _));
    }

    [Fact]
    public void EncodeData_TopDigitAboveSeven_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Bcd.EncodeData(80000, 5));

    [Fact]
    public void SsmRules_BcdMinus_IsNormalStatus()
    {
        Assert.Equal(WordStatus.Normal, SsmRules.Status(ArincEncoding.Bcd, SsmRules.BcdMinus));
        Assert.Equal(WordStatus.FailureWarning, SsmRules.Status(ArincEncoding.Bnr, 0b00));
        Assert.Equal(WordStatus.NoComputedData, SsmRules.Status(ArincEncoding.Discrete, 0b01));
        Assert.Equal(WordStatus.FailureWarning, SsmRules.Status(ArincEncoding.Discrete, 0b11));
    }
}
