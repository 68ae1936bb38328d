namespace EdgeGateway.Crew.Tests.Fakes;

/// <summary>One HD44780 transfer: a command (RS low) or a data byte (RS high).</summary>
internal readonly record struct LcdTransfer(bool IsData, byte Value);

/// <summary>
/// Decodes the bytes a PCF8574 backpack receives back into HD44780 transfers and replays them into
/// a model of the display's memory, so a test can read the text a person would see.
/// </summary>
/// <remarks>
/// Backpack wiring (the common one, and what the binding's 4-bit I2C interface drives): P0 = RS,
/// P1 = R/W, P2 = E, P3 = backlight, P4..P7 = D4..D7. The controller latches D4..D7 on the falling
/// edge of E; two latched nibbles (high first) make one byte. The decoder assumes 4-bit transfers
/// throughout, as the binding sends its reset sequence as nibble pairs too.
/// </remarks>
internal static class Hd44780Decoder
{
    private const byte RegisterSelect = 0b0000_0001;
    private const byte ReadWrite = 0b0000_0010;
    private const byte Enable = 0b0000_0100;
    private const byte Backlight = 0b0000_1000;

    private static readonly int[] s_rowOffsets = [0x00, 0x40, 0x14, 0x54];

    /// <summary>Decodes a finished recording; a trailing half byte is an error.</summary>
    public static List<LcdTransfer> Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, stillWriting: false);

    /// <summary>
    /// Decodes the bytes the display has received so far while the panel may still be writing. The binding
    /// sends each nibble as its own I2C transfer, so a copy taken between the two may end in a half byte;
    /// that half byte is left out here instead of failing, as its other half is still on its way.
    /// </summary>
    public static List<LcdTransfer> DecodeSoFar(ReadOnlySpan<byte> bytes) => Decode(bytes, stillWriting: true);

    private static List<LcdTransfer> Decode(ReadOnlySpan<byte> bytes, bool stillWriting)
    {
        var transfers = new List<LcdTransfer>();
        byte previous = 0;
        int? high = null;
        bool highRs = false;
        foreach (byte b in bytes)
        {
            if ((b & ReadWrite) != 0)
            {
                throw new InvalidOperationException($"R/W high in 0x{b:X2}: the panel never reads the display");
            }

            bool falling = (previous & Enable) != 0 && (b & Enable) == 0;
            if (falling)
            {
                int nibble = b >> 4;
                bool rs = (b & RegisterSelect) != 0;
                if (high is null)
                {
                    high = nibble;
                    highRs = rs;
                }
                else
                {
                    if (rs != highRs)
                    {
                        throw new InvalidOperationException("RS changed between the two nibbles of one byte");
                    }

                    transfers.Add(new LcdTransfer(rs, (byte)((high.Value << 4) | nibble)));
                    high = null;
                }
            }

            previous = b;
        }

        if (high is not null && !stillWriting)
        {
            throw new InvalidOperationException("odd number of nibbles: a byte was cut in half");
        }

        return transfers;
    }

    /// <summary>True when every byte keeps the backlight on.</summary>
    public static bool BacklightAlwaysOn(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if ((b & Backlight) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Replays transfers into display memory and returns the four visible 20-character lines.</summary>
    public static string[] Screen(IEnumerable<LcdTransfer> transfers)
    {
        var ddram = new char[0x68];
        Array.Fill(ddram, ' ');
        int address = 0;
        foreach (LcdTransfer t in transfers)
        {
            if (t.IsData)
            {
                ddram[address] = (char)t.Value;
                address++;
                if (address == 0x28)
                {
                    address = 0x40;
                }
                else if (address == 0x68)
                {
                    address = 0;
                }
            }
            else if ((t.Value & 0x80) != 0)
            {
                address = t.Value & 0x7F;
            }
            else if (t.Value == 0x01)
            {
                Array.Fill(ddram, ' ');
                address = 0;
            }
            else if (t.Value is 0x02 or 0x03)
            {
                address = 0;
            }
        }

        return [.. s_rowOffsets.Select(o => new string(ddram, o, 20))];
    }

    public static string[] Screen(ReadOnlySpan<byte> bytes) => Screen(Decode(bytes));

    /// <summary>The screen from the bytes received so far, while the panel may be mid-byte (see <see cref="DecodeSoFar"/>).</summary>
    public static string[] ScreenSoFar(ReadOnlySpan<byte> bytes) => Screen(DecodeSoFar(bytes));
}
