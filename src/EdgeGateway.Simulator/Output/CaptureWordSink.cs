using EdgeGateway.Bus;

namespace EdgeGateway.Simulator.Output;

/// <summary>Writes words into a capture file (<c>firmware-config/capture-format.md</c>) through <see cref="CaptureWriter"/>.</summary>
public sealed class CaptureWordSink : IWordSink, IDisposable
{
    private readonly CaptureWriter _writer;

    /// <summary>Takes ownership of <paramref name="writer"/>; <see cref="Complete"/> and <see cref="Dispose"/> close it.</summary>
    public CaptureWordSink(CaptureWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Frames written so far.</summary>
    public long FramesWritten => _writer.FramesWritten;

    /// <inheritdoc/>
    public void Write(in BusWord word) =>
        _writer.Write(new AdapterFrame(word.Channel, word.TimestampMicros, word.Word, word.HighSpeed ? AdapterStatus.HighSpeed : AdapterStatus.None));

    /// <inheritdoc/>
    public void Flush() => _writer.Flush();

    /// <inheritdoc/>
    public void Complete() => _writer.Dispose();

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}
