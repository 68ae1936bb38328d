namespace EdgeGateway.Simulator.Output;

/// <summary>One word as the adapter would report it.</summary>
/// <param name="TimestampMicros">Adapter hardware clock when the word's last bit arrived, microseconds.</param>
/// <param name="Channel">Adapter receive channel, 0-based.</param>
/// <param name="Word">The raw ARINC 429 word (parity set).</param>
/// <param name="HighSpeed">True when the bus runs at 100 kbit/s.</param>
public readonly record struct BusWord(ulong TimestampMicros, byte Channel, uint Word, bool HighSpeed);

/// <summary>
/// Where generated words go (a capture file, a serial port, a list in a test). Words arrive in
/// timestamp order; <see cref="Complete"/> is called once after the last one. A sink is used from one thread.
/// </summary>
public interface IWordSink
{
    /// <summary>Takes one word.</summary>
    void Write(in BusWord word);

    /// <summary>Pushes buffered words out now (a paced sink calls this before it waits).</summary>
    void Flush();

    /// <summary>The flight is over: flush what is buffered.</summary>
    void Complete();
}
