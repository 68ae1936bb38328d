using System.Device.I2c;

namespace EdgeGateway.Crew.Tests.Fakes;

/// <summary>An I2C device that records every byte written; can be told to fail like an unplugged device.</summary>
internal sealed class RecordingI2cDevice : I2cDevice
{
    private readonly Lock _lock = new();
    private readonly List<byte> _written = [];

    public RecordingI2cDevice(int busId = 1, int address = 0x27)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>When true, every transfer throws <see cref="IOException"/> (no ACK from the address).</summary>
    public bool Fail { get; set; }

    public byte[] Written
    {
        get
        {
            lock (_lock)
            {
                return [.. _written];
            }
        }
    }

    public override byte ReadByte() => throw new NotSupportedException("the display backpack is write-only here");

    public override void Read(Span<byte> buffer) => throw new NotSupportedException("the display backpack is write-only here");

    public override void WriteByte(byte value)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            _written.Add(value);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            _written.AddRange(buffer);
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) =>
        throw new NotSupportedException("the display backpack is write-only here");

    private void ThrowIfFailing()
    {
        if (Fail)
        {
            throw new IOException($"Error 121 performing I2C data transfer (no ACK from 0x{ConnectionSettings.DeviceAddress:X2})");
        }
    }
}
