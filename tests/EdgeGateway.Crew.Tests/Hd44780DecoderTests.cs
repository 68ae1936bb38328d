using EdgeGateway.Crew.Tests.Fakes;

namespace EdgeGateway.Crew.Tests;

/// <summary>
/// Pins the test decoder to hand-built PCF8574 bytes, and the binding's traffic to the HD44780
/// datasheet (4-bit function set, row addresses of a 20x4 panel), so the display assertions in
/// the annunciator tests rest on more than the decoder agreeing with itself.
/// </summary>
public sealed class Hd44780DecoderTests
{
    [Fact]
    public void Decode_HandBuiltDataByte_LetterA()
    {
        // 'A' = 0x41, RS high, backlight on: high nibble 4 with E pulsed, then low nibble 1.
        byte[] bytes = [0b0100_1101, 0b0100_1001, 0b0001_1101, 0b0001_1001];

        var transfer = Assert.Single(Hd44780Decoder.Decode(bytes));

        Assert.Equal(new LcdTransfer(IsData: true, (byte)'A'), transfer);
    }

    [Fact]
    public void Decode_HandBuiltCommand_SetAddressRow2()
    {
        // 0xC0 = set DDRAM address 0x40 (row 2), RS low.
        byte[] bytes = [0b1100_1100, 0b1100_1000, 0b0000_1100, 0b0000_1000];

        Assert.Equal(new LcdTransfer(IsData: false, 0xC0), Assert.Single(Hd44780Decoder.Decode(bytes)));
    }

    [Fact]
    public void Decode_OddNibbles_Rejected()
    {
        Assert.Throws<InvalidOperationException>(() => Hd44780Decoder.Decode([0b0100_1101, 0b0100_1001]));
    }

    [Fact]
    public void DecodeSoFar_CopyTakenBetweenNibbles_KeepsWholeBytesLeavesOutTheHalf()
    {
        // 'A' complete, then the high nibble of 'B' (0x42) whose low nibble has not been sent yet.
        byte[] bytes = [0b0100_1101, 0b0100_1001, 0b0001_1101, 0b0001_1001, 0b0100_1101, 0b0100_1001];

        Assert.Equal(new LcdTransfer(IsData: true, (byte)'A'), Assert.Single(Hd44780Decoder.DecodeSoFar(bytes)));
        Assert.Throws<InvalidOperationException>(() => Hd44780Decoder.Decode(bytes));
    }

    [Fact]
    public void Screen_RowAddresses_TwentyByFourLayout()
    {
        LcdTransfer[] transfers =
        [
            new(false, 0x80 | 0x54), new(true, (byte)'D'),
            new(false, 0x80 | 0x14), new(true, (byte)'C'),
            new(false, 0x80 | 0x40), new(true, (byte)'B'),
            new(false, 0x80 | 0x00), new(true, (byte)'A'),
        ];

        string[] screen = Hd44780Decoder.Screen(transfers);

        Assert.Equal(["A", "B", "C", "D"], screen.Select(l => l.TrimEnd()));
    }

    [Fact]
    public async Task Annunciator_DisplayTraffic_FourBitInitThenRowAddressesOfTwentyByFour()
    {
        await using var panel = new TestPanel();
        await panel.StartAsync();
        await panel.WaitForScreenAsync(CrewScreen.IdleText, "NO CREW ALERTS");

        var transfers = Hd44780Decoder.Decode(panel.Display.Written);
        var commands = transfers.Where(t => !t.IsData).Select(t => t.Value).ToList();

        // Reset to 4-bit mode, then (before any character) function set 0x28: 4-bit interface (DL = 0), two-line addressing.
        Assert.Equal([0x03, 0x03, 0x03, 0x02], commands.Take(4));
        Assert.Contains((byte)0x28, transfers.TakeWhile(t => !t.IsData).Select(t => t.Value));
        Assert.DoesNotContain(commands, c => (c & 0b1111_0000) == 0b0011_0000 && c != 0x03);
        // The first screen writes every row: DDRAM 0x00, 0x40, 0x14, 0x54.
        Assert.Equal([0x80, 0xC0, 0x94, 0xD4], commands.Where(c => c >= 0x80).Take(4));
        // Rows are written whole: 20 characters after each address command.
        Assert.Equal(0, transfers.Count(t => t.IsData) % 20);
    }
}
