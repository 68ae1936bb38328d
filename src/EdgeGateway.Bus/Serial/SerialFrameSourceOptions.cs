using System.IO.Ports;

namespace EdgeGateway.Bus;

/// <summary>
/// Settings of a <see cref="SerialFrameSource"/> (config section <c>Bus:Serial</c>). Line settings
/// other than the baud rate are optional: left null, the driver's defaults (8 data bits, no parity,
/// one stop bit, no handshake) stay untouched, which is also what pseudo-terminals accept; ptys
/// reject parity, 7-bit and modem-line changes.
/// </summary>
public sealed class SerialFrameSourceOptions
{
    /// <summary>Default baud rate: the adapter's USB serial link runs at 921,600 baud (about 5,700 frames/s).</summary>
    public const int DefaultBaudRate = 921_600;

    /// <summary>
    /// Device path of the adapter, e.g. <c>/dev/ttyACM0</c> or a stable udev link such as
    /// <c>/dev/arinc429</c>. Required. The path is polled while the device is unplugged.
    /// </summary>
    public string PortName { get; set; } = string.Empty;

    /// <summary>Line speed in bits per second. Default <see cref="DefaultBaudRate"/>.</summary>
    public int BaudRate { get; set; } = DefaultBaudRate;

    /// <summary>
    /// While no bytes arrive, how often the source checks that the device path still exists and
    /// still points at the device it opened. A quiet bus is not an error. Default 500 ms; 10 ms to 1 minute.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Pause between attempts to find and open the device after it disappeared or failed to open.
    /// Default 1 s; 10 ms to 5 minutes.
    /// </summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Size of the source's own read buffer in bytes. Default 64 KiB; 1 KiB to 16 MiB.</summary>
    public int ReadBufferBytes { get; set; } = 64 * 1024;

    /// <summary>Parity; null (default) leaves the driver's setting (none).</summary>
    public Parity? Parity { get; set; }

    /// <summary>Data bits (5-8); null (default) leaves the driver's setting (8).</summary>
    public int? DataBits { get; set; }

    /// <summary>Stop bits; null (default) leaves the driver's setting (one).</summary>
    public StopBits? StopBits { get; set; }

    /// <summary>Flow control; null (default) leaves the driver's setting (none).</summary>
    public Handshake? Handshake { get; set; }

    /// <summary>Data Terminal Ready line; null (default) leaves it untouched.</summary>
    public bool? DtrEnable { get; set; }

    /// <summary>Request To Send line; null (default) leaves it untouched.</summary>
    public bool? RtsEnable { get; set; }

    /// <summary>Checks every setting; returns one message per problem, naming the setting, the value and what is allowed.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(PortName))
        {
            errors.Add("Bus:Serial:PortName is required (the adapter's device path, e.g. /dev/ttyACM0).");
        }

        if (BaudRate is < 50 or > 16_000_000)
        {
            errors.Add($"Bus:Serial:BaudRate = {BaudRate} is outside 50..16000000.");
        }

        CheckRange(ReadTimeout, "ReadTimeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        CheckRange(ReconnectDelay, "ReconnectDelay", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        if (ReadBufferBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"Bus:Serial:ReadBufferBytes = {ReadBufferBytes} is outside 1024..16777216.");
        }

        if (DataBits is { } bits && bits is < 5 or > 8)
        {
            errors.Add($"Bus:Serial:DataBits = {bits} is outside 5..8.");
        }

        if (Parity is { } parity && !Enum.IsDefined(parity))
        {
            errors.Add($"Bus:Serial:Parity = {parity} is not one of {string.Join(", ", Enum.GetNames<Parity>())}.");
        }

        if (StopBits is { } stop && (stop == System.IO.Ports.StopBits.None || !Enum.IsDefined(stop)))
        {
            errors.Add($"Bus:Serial:StopBits = {stop} is not one of One, OnePointFive, Two.");
        }

        if (Handshake is { } hs && !Enum.IsDefined(hs))
        {
            errors.Add($"Bus:Serial:Handshake = {hs} is not one of {string.Join(", ", Enum.GetNames<Handshake>())}.");
        }

        return errors;

        void CheckRange(TimeSpan value, string name, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                errors.Add($"Bus:Serial:{name} = {value} is outside {min}..{max}.");
            }
        }
    }
}
