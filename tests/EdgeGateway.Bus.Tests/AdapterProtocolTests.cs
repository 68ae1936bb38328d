using System.Buffers;

namespace EdgeGateway.Bus.Tests;

public class AdapterProtocolTests
{
    // Worked examples of firmware-config/adapter-protocol.md. The checksum bytes were computed
    // with a bit-by-bit CRC-16/CCITT-FALSE written independently of the product code.
    private static readonly byte[] s_example =
        [0xA5, 0x10, 0x02, 0x04, 0xD2, 0x02, 0x96, 0x49, 0x00, 0x00, 0xC1, 0x56, 0x34, 0x12, 0xDA, 0xD1];

    private static readonly AdapterFrame s_exampleFrame = new(2, 1_234_567_890, 0x1234_56C1, AdapterStatus.HighSpeed);

    [Fact]
    public void TryWrite_WorkedExample_WritesDocumentedBytes()
    {
        var buffer = new byte[20];

        Assert.True(AdapterProtocol.TryWrite(s_exampleFrame, buffer, out int written));

        Assert.Equal(16, written);
        Assert.Equal(s_example, buffer[..16]);
    }

    [Fact]
    public void TryWrite_ZeroFrame_WritesDocumentedBytes()
    {
        var buffer = new byte[16];

        AdapterProtocol.TryWrite(new AdapterFrame(0, 0, 0, AdapterStatus.None), buffer, out _);

        Assert.Equal(Convert.FromHexString("A510000000000000000000000000F3AB"), buffer);
    }

    [Fact]
    public void TryWrite_AllOnesFrame_WritesDocumentedBytes()
    {
        var buffer = new byte[16];
        var frame = new AdapterFrame(7, AdapterProtocol.MaxTimestampMicros, 0xFFFF_FFFF, AdapterStatus.Overflow | AdapterStatus.ParityError);

        AdapterProtocol.TryWrite(frame, buffer, out _);

        Assert.Equal(Convert.FromHexString("A5100703FFFFFFFFFFFFFFFFFFFFC4C2"), buffer);
    }

    [Fact]
    public void TryRead_WorkedExample_DecodesEveryField()
    {
        var status = AdapterProtocol.TryRead(s_example, out var frame, out int consumed);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(16, consumed);
        Assert.Equal(2, frame.Channel);
        Assert.Equal(1_234_567_890UL, frame.TimestampMicros);
        Assert.Equal(0x1234_56C1u, frame.Word);
        Assert.Equal(AdapterStatus.HighSpeed, frame.Status);
    }

    [Fact]
    public void Crc_CheckString_Is29B1()
    {
        Assert.Equal(0x29B1, Crc16CcittFalse.Compute("123456789"u8));
        Assert.Equal(0x29B1, Crc16CcittFalse.ComputeBitwise("123456789"u8));
    }

    [Fact]
    public void Crc_OverWholeFrame_IsZero()
    {
        // Sending the CRC big-endian makes the CRC over all 16 bytes zero (documented check).
        Assert.Equal(0, Crc16CcittFalse.Compute(s_example));
    }

    [Fact]
    public void ComputeFrame_RandomFrames_EqualsByteAtATimeCrc()
    {
        var rng = new Random(7);
        var bytes = new byte[16];
        for (int i = 0; i < 2000; i++)
        {
            rng.NextBytes(bytes);
            bytes[0] = AdapterProtocol.SyncByte;
            bytes[1] = AdapterProtocol.HeaderV1WordFrame;
            ulong lo = BitConverter.ToUInt64(bytes, 0);
            ulong hi = BitConverter.ToUInt64(bytes, 8);
            Assert.Equal(Crc16CcittFalse.ComputeBitwise(bytes.AsSpan(0, 14)), Crc16CcittFalse.ComputeFrame(lo, hi));
        }
    }

    [Fact]
    public void AdapterFrame_Size_Is16Bytes()
    {
        Assert.Equal(16, System.Runtime.CompilerServices.Unsafe.SizeOf<AdapterFrame>());
    }

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalse()
    {
        Assert.False(AdapterProtocol.TryWrite(s_exampleFrame, new byte[15], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void TryWrite_TimestampBeyond48Bits_Throws()
    {
        var frame = s_exampleFrame with { TimestampMicros = AdapterProtocol.MaxTimestampMicros + 1 };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => AdapterProtocol.TryWrite(frame, new byte[16], out _));
        Assert.Contains("48-bit", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(15)]
    public void TryRead_FramePrefix_NeedsMoreData(int length)
    {
        var status = AdapterProtocol.TryRead(s_example.AsSpan(0, length), out _, out int consumed);

        Assert.Equal(OperationStatus.NeedMoreData, status);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void TryRead_WrongHeader_IsInvalidAndSkipsToNextSync()
    {
        byte[] bytes = [0xA5, 0x11, 0x00, 0xA5, 0x10];

        var status = AdapterProtocol.TryRead(bytes, out _, out int consumed);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(3, consumed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(14)]
    [InlineData(15)]
    public void TryRead_CorruptedByte_IsInvalid(int index)
    {
        var bytes = (byte[])s_example.Clone();
        bytes[index] ^= 0x20;

        var status = AdapterProtocol.TryRead(bytes, out _, out int consumed);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.True(consumed >= 1);
    }

    [Fact]
    public void TryWrite_ThenTryRead_RandomFrames_RoundTrip()
    {
        var frames = TestFrames.Random(new Random(3), 500);
        var buffer = new byte[16];
        foreach (var f in frames)
        {
            AdapterProtocol.TryWrite(f, buffer, out _);
            Assert.Equal(OperationStatus.Done, AdapterProtocol.TryRead(buffer, out var back, out _));
            Assert.Equal(f, back);
        }
    }
}
