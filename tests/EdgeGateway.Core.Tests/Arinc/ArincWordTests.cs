using EdgeGateway.Core.Arinc;

namespace EdgeGateway.Core.Tests.Arinc;

public class ArincWordTests
{
    [Fact]
    public void Label_Octal203_IsBitReversedInLowByte()
    {
        // 203 octal = 1000 0011 binary, sent MSB first, so it appears reversed: 1100 0001 = 0xC1.
        var w = new ArincWord(0x0000_00C1);
        Assert.Equal(0b1000_0011, w.Label);
        Assert.Equal("203", w.LabelOctal);
    }

    [Fact]
    public void Fields_HandBuiltWord_ReadBack()
    {
        // label 346 = 011 100 110 -> 1110_0110, reversed 0110_0111 = 0x67.
        // SDI 10 -> bits 9-10 = 0b10 << 8 = 0x200. SSM 11 -> 0x6000_0000.
        // Data 0x40000 (bit 29, the sign) -> 0x40000 << 10 = 0x1000_0000.
        uint raw = 0x67 | 0x200 | 0x1000_0000 | 0x6000_0000;
        var w = new ArincWord(raw);
        Assert.Equal(230 /* 346 octal */, w.Label);
        Assert.Equal(2, w.Sdi);
        Assert.Equal(3, w.Ssm);
        Assert.Equal(0x40000u, w.Data);
    }

    [Fact]
    public void Create_SetsOddParity()
    {
        // 0x67 (5 ones) | 0x200 (1) | 0x6000_0000 (2): 8 ones, even, so bit 32 must be set.
        var w = ArincWord.Create(230 /* 346 octal */, 2, 0, 3);
        Assert.Equal(0xE000_0267u, w.Raw);
        Assert.True(w.ParityOk);
        Assert.False(new ArincWord(w.Raw ^ 0x0001_0000).ParityOk);
    }

    [Theory]
    [InlineData("346", 230 /* 346 octal */)]
    [InlineData("0", 0)]
    [InlineData("377", 255)]
    public void TryParseLabel_Octal_Parses(string text, int expected)
    {
        Assert.True(ArincWord.TryParseLabel(text, out byte label));
        Assert.Equal(expected, label);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("400")]
    [InlineData("")]
    [InlineData("1234")]
    public void TryParseLabel_NotOctalLabel_Fails(string text) => Assert.False(ArincWord.TryParseLabel(text, out _));
}
